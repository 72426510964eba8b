import LinliData

// Each capability's division columns (see `Capability.divisionColumns`, decision 0031): what a boundary change does
// to every column of its tables that stores a division code. `.follows`: the value moves with its record (a retired
// code becomes its successor's; in a split or a move, rows linked to a moved building, household or person follow it);
// `.measured`: a figure kept for the division it was measured for stays there; `.street(of:)`: a street kept beside a
// community or grid column; `.unrelated`: named like a code, holds none. A capability added later declares its own
// here or beside its declaration; `DivisionColumnsTests` lists the schema's `*_code` columns against this.

private let resident = DivisionColumn.Link.resident("resident_id")
private let household = DivisionColumn.Link.household("household_id")

extension PlatformCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("accounts", "division_code", history: "account")] + DivisionColumn.unrelated("accounts", "department_code")
    }
}

extension RegistryCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("buildings", "grid_code", link: .building("id"), history: "building"),
         DivisionColumn("households", "grid_code", link: .building("building_id"), history: "household"),
         DivisionColumn("residents", "grid_code", link: household, history: "resident")]
    }
}

extension RequestsCapability {
    var divisionColumns: [DivisionColumn] {
        // Open requests move with their place; closed ones stay where they were handled (and counted).
        let open = "status NOT IN ('refused', 'closed')"
        return [DivisionColumn("requests", "area_code", link: .building("building_id"), only: open, history: "request"),
                DivisionColumn("requests", "community_code", link: .building("building_id"), only: open),
                DivisionColumn("requests", "holder_code", only: open),
                DivisionColumn("request_tallies", "community_code", .derived(by: "requests"))]
            + DivisionColumn.unrelated("requests", "category_code") + DivisionColumn.unrelated("request_tallies", "category_code")
            + DivisionColumn.unrelated("request_categories", "parent_code", "department_code")
    }
}

extension CareCapability {
    var divisionColumns: [DivisionColumn] {
        ["care_assessments", "care_status", "care_plans", "care_records", "care_calls"].map { DivisionColumn($0, "grid_code", link: resident) }
            + [DivisionColumn("care_facilities", "community_code")]
    }
}

extension DisabilityCapability {
    var divisionColumns: [DivisionColumn] { [DivisionColumn("disability_cards", "grid_code", link: resident)] }
}

extension AssistanceCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("assistance_cases", "grid_code", link: household), DivisionColumn("assistance_cases", "community_code", link: household),
         DivisionColumn("assistance_cases", "street_code", .street(of: "community_code")),
         DivisionColumn("assistance_objections", "street_code"), DivisionColumn("assistance_rolls", "street_code"),
         // Payments made are figures of the month and division they were paid in.
         DivisionColumn("assistance_payments", "grid_code", .measured), DivisionColumn("assistance_payments", "community_code", .measured),
         DivisionColumn("assistance_payments", "street_code", .measured),
         DivisionColumn("assistance_finding_marks", "grid_code", link: resident)]
            + DivisionColumn.unrelated("assistance_finding_marks", "rule_code")
    }
}

extension EmploymentCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("employment_registrations", "grid_code", link: resident), DivisionColumn("employment_registrations", "community_code", link: resident),
         DivisionColumn("employment_registrations", "street_code", .street(of: "community_code")),
         DivisionColumn("employment_posts", "community_code"), DivisionColumn("employment_posts", "street_code", .street(of: "community_code")),
         DivisionColumn("employment_placements", "grid_code", link: resident), DivisionColumn("employment_placements", "street_code", .street(of: "grid_code"))]
    }
}

extension TrainingCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("training_courses", "area_code"), DivisionColumn("training_courses", "area_prefix"),
         DivisionColumn("training_enrolments", "grid_code", link: resident)]
    }
}

extension DonationsCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("donation_points", "community_code", unique: []), DivisionColumn("donation_points", "street_code", .street(of: "community_code")),
         DivisionColumn("donation_movements", "community_code", .measured)]
    }
}

extension OrganizationsCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("organizations", "division_code"), DivisionColumn("organizations", "street_code", .street(of: "division_code")),
         DivisionColumn("organization_support", "division_code"), DivisionColumn("organization_projects", "division_code"),
         DivisionColumn("organization_projects", "buyer_code")]
            + DivisionColumn.unrelated("organizations", "credit_code")
    }
}

extension VolunteersCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("volunteers", "community_code", link: resident), DivisionColumn("volunteer_teams", "community_code", unique: ["name"]),
         DivisionColumn("volunteer_activities", "community_code"),
         DivisionColumn("volunteer_hours", "community_code", .measured), DivisionColumn("volunteer_monthly", "community_code", .measured)]
    }
}

extension SupermarketCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("supermarkets", "street_code"), DivisionColumn("love_point_balances", "grid_code", link: resident),
         // The ledger, the redemptions and the year's figures stay with the grid they were written in.
         DivisionColumn("love_point_entries", "grid_code", .measured), DivisionColumn("supermarket_redemptions", "grid_code", .measured),
         DivisionColumn("supermarket_redemptions", "street_code", .measured), DivisionColumn("love_point_tallies", "grid_code", .measured),
         DivisionColumn("supermarket_assisted_years", "grid_code", .measured)]
    }
}

extension ElectionsCapability {
    var divisionColumns: [DivisionColumn] {
        // An election was held by the committee of its community: a merged community elects its own.
        [DivisionColumn("elections", "community_code", .measured), DivisionColumn("election_voters", "grid_code", .measured)]
    }
}

extension DeliberationCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("deliberation_meetings", "community_code", .measured), DivisionColumn("deliberation_resolutions", "community_code"),
         DivisionColumn("consultation_proposals", "community_code")]
    }
}

extension DisclosureCapability {
    var divisionColumns: [DivisionColumn] {
        ["disclosure_notices", "disclosure_statements", "disclosure_ledger_entries"].map { DivisionColumn($0, "community_code", .measured) }
    }
}

extension AdmissionCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("admission_tasks", "street_code"), DivisionColumn("admission_task_communities", "community_code", unique: ["task_id"]),
         DivisionColumn("admission_pushes", "community_code"), DivisionColumn("admission_funds", "community_code")]
            + DivisionColumn.unrelated("admission_tasks", "department_code") + DivisionColumn.unrelated("admission_pushes", "department_code")
    }
}

extension ReportsCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("report_form_communities", "community_code", unique: ["form_id"]), DivisionColumn("report_returns", "community_code", .measured)]
            + DivisionColumn.unrelated("report_forms", "department_code")
    }
}

extension WorkersCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("workers", "division_code"), DivisionColumn("workers", "street_code", .street(of: "division_code"))]
    }
}

extension FacilitiesCapability {
    var divisionColumns: [DivisionColumn] {
        // Coverage is recomputed by the next refresh; until then it stays with the community it was computed for.
        [DivisionColumn("facilities", "community_code"), DivisionColumn("facility_coverage", "community_code", .measured),
         DivisionColumn("facility_uncovered", "community_code", .measured)]
    }
}

extension CommunityLifeCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("life_venues", "community_code"), DivisionColumn("life_venues", "street_code", .street(of: "community_code")),
         DivisionColumn("life_bookings", "community_code"), DivisionColumn("life_venue_months", "community_code", .measured),
         DivisionColumn("life_activities", "community_code"), DivisionColumn("life_activities", "street_code", .street(of: "community_code")),
         DivisionColumn("life_award_campaigns", "scope_prefix"), DivisionColumn("life_award_nominations", "community_code")]
    }
}

extension HousingCapability {
    var divisionColumns: [DivisionColumn] {
        // Dwellings and units stand in their building; a rental and its tenants' permits follow the dwelling let.
        [DivisionColumn("dwellings", "grid_code", link: .building("building_id"), history: "dwelling"),
         DivisionColumn("rentals", "grid_code", link: .dwelling("dwelling_id")),
         DivisionColumn("rental_tenants", "grid_code", link: .rental("rental_id")),
         DivisionColumn("units", "grid_code", link: .building("building_id"), history: "unit")]
            + DivisionColumn.unrelated("units", "credit_code")
    }
}

extension PatrolsCapability {
    var divisionColumns: [DivisionColumn] {
        // A round was walked in the grid it was walked in, and a week's count is that grid's figure.
        [DivisionColumn("patrol_rounds", "grid_code", .measured), DivisionColumn("patrol_weeks", "grid_code", .measured)]
    }
}

extension IndicatorsCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("indicator_snapshots", "division_code", .measured)] + DivisionColumn.unrelated("indicator_snapshots", "indicator_code")
    }
}

extension BoundaryCapability {
    var divisionColumns: [DivisionColumn] {
        [DivisionColumn("divisions", "successor_code", .measured), DivisionColumn("division_history", "old_code", .measured),
         DivisionColumn("division_history", "new_code", .measured), DivisionColumn("boundary_account_flags", "old_code", .measured),
         DivisionColumn("boundary_account_flags", "new_code", .measured)]
    }
}

extension PropertyCapability {
    var divisionColumns: [DivisionColumn] {
        // A compound stands in its community; its contracts, owners' committees and residents' ratings carry the same code.
        [DivisionColumn("property_compounds", "community_code"), DivisionColumn("property_contracts", "community_code"),
         DivisionColumn("property_committees", "community_code"), DivisionColumn("property_ratings", "community_code"),
         // A coordination meeting stays with the community that held it, as its deliberation meeting does.
         DivisionColumn("property_meetings", "community_code", .measured)]
            + DivisionColumn.unrelated("property_companies", "credit_code") + DivisionColumn.unrelated("property_companies", "department_code")
    }
}
