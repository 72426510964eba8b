import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// A service of the Open311 list.
fileprivate struct Service: Decodable {
    var serviceName: String
    var metadata: Bool
    var type: String
}

/// An attribute of a service definition.
fileprivate struct ServiceAttribute: Decodable {
    struct Value: Decodable { var key: String }
    var code: String
    var datatype: String
    var required: Bool
    var values: [Value]
}

/// A request sent through Open311 as the console's API lists it.
fileprivate struct StoredRequest: Decodable {
    var channel: String
    var reporterName: String?
    var contactMasked: String?
}

/// A request on the public Open311 list, as far as the tests read it.
fileprivate struct PublicRequest: Decodable {
    var status: String
    var serviceCode: String
    var addressId: String
    var lat: Double?
    var agencyResponsible: String
    var description: String?
}

@Suite("Open311 GeoReport v2")
struct Open311Tests {
    func form(_ fields: [(String, String)]) throws -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return try fields.map { "\(try urlEncoded($0.0, allowing: allowed))=\(try urlEncoded($0.1, allowing: allowed))" }
            .joined(separator: "&")
    }

    @Test("discovery, services and definitions in JSON and XML")
    func services() async throws {
        try await withTestApp(residents: 100) { app in
            let discovery = try await app.call(.GET, "/open311/discovery.json", as: .anonymous).json
            #expect(discovery["endpoints"][0]["specification"].string == "http://wiki.open311.org/GeoReport_v2")
            let list = try await app.call(.GET, "/open311/v2/services.json", as: .anonymous).json.array
            #expect(list.count == (DefaultRequestCategories.all + PoliceOffice.categories).filter { $0.parent != nil }.count)
            let lamp = try #require(list.first { $0["service_code"].string == "BJ0102" }).decode(Service.self)
            #expect(lamp.serviceName == "路灯不亮" && lamp.metadata == true && lamp.type == "realtime")
            let definition = try await app.call(.GET, "/open311/v2/services/SJ0104.json", as: .anonymous).json
            let attr = try definition["attributes"][0].decode(ServiceAttribute.self)
            #expect(attr.code == "noise_time" && attr.datatype == "singlevaluelist" && attr.required == true)
            #expect(Set(attr.values.map(\.key)) == ["day", "night"])

            let xml = try await app.call(.GET, "/open311/v2/services.xml", as: .anonymous)
            #expect(xml.headers.first(name: .contentType)?.hasPrefix("text/xml") == true)
            let doc = try XMLDocument(data: xml.body)
            #expect(doc.rootElement()?.name == "services")
            #expect(try doc.nodes(forXPath: "/services/service").count == list.count)
            #expect(try doc.nodes(forXPath: "/services/service[service_code='BJ0102']/service_name").first?.stringValue == "路灯不亮")
            let defXML = try XMLDocument(data: try await app.call(.GET, "/open311/v2/services/SJ0104.xml", as: .anonymous).body)
            #expect(try defXML.nodes(forXPath: "/service_definition/attributes/attribute/values/value/key").compactMap(\.stringValue).sorted() == ["day", "night"])

            let missing = try await app.call(.GET, "/open311/v2/services/NOPE.json", as: .anonymous)
            #expect(missing.status == .notFound && missing.json[0]["code"].int == 404)
        }
    }

    @Test("POST requests: api_key required, form-encoded, address_string alone matched to a building; then GET by id, filters and tokens")
    func requests() async throws {
        try await withTestApp(residents: 300) { app in
            let key = try await Open311Keys(app.db).create(name: "市民通APP", by: .system("test"), now: app.nowSeconds)
            let b = try await app.buildingInWorkersGrid()
            let fields = [("service_code", "SJ0101"), ("description", "楼下垃圾满了"), ("address_string", "\(try #require(b["name"].string))北门"),
                          ("first_name", "小明"), ("last_name", "王"), ("phone", "13800001111"), ("email", "wxm@example.cn")]

            var r = try await app.call(.POST, "/open311/v2/requests.json", rawBody: form(fields), contentType: "application/x-www-form-urlencoded",
                                       as: .anonymous)
            #expect(r.status == .forbidden && r.json[0]["code"].int == 403 && !r.isProblem)
            r = try await app.call(.POST, "/open311/v2/requests.json", rawBody: form([("api_key", key)] + fields),
                                   contentType: "application/x-www-form-urlencoded", as: .anonymous)
            #expect(r.status == .created, "\(r.text)")
            let id = try #require(r.json[0]["service_request_id"].string)
            #expect(r.json[0]["service_notice"].string?.contains(id) == true)

            let building = try #require(b["id"].string)
            let one = try #require(try await app.call(.GET, "/open311/v2/requests/\(id).json", as: .anonymous).decode([PublicRequest].self).first)
            #expect(one.status == "open" && one.serviceCode == "SJ0101" && one.addressId == building.lowercased())
            #expect(one.lat == b["latitude"].double && one.agencyResponsible.contains("社区"))
            #expect(one.description == nil, "event descriptions stay private on the public list")
            let stored = try await app.call(.GET, "/api/v1/requests?per_page=1").json["items"][0].decode(StoredRequest.self)
            #expect(stored.channel == "open311" && stored.reporterName == "王小明" && stored.contactMasked == "138****1111")

            // XML form of the same, and the spec's filters.
            let xml = try XMLDocument(data: try await app.call(.GET, "/open311/v2/requests/\(id).xml", as: .anonymous).body)
            #expect(try xml.nodes(forXPath: "/service_requests/request/service_request_id").first?.stringValue == id)
            #expect(try await app.call(.GET, "/open311/v2/requests.json?status=closed", as: .anonymous).json.array.isEmpty)
            #expect(try await app.call(.GET, "/open311/v2/requests.json?status=open&service_code=SJ0101", as: .anonymous).json.array.count == 1)
            #expect(try await app.call(.GET, "/open311/v2/requests.json?service_code=BJ0101", as: .anonymous).json.array.isEmpty)
            #expect(try await app.call(.GET, "/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z", as: .anonymous).status == .badRequest)
            let token = try #require(try await app.call(.GET, "/api/v1/requests?per_page=1").json["items"][0]["id"].string)
            #expect(try await app.call(.GET, "/open311/v2/tokens/\(token).json", as: .anonymous).json[0]["service_request_id"].string == id)

            // Errors in the spec's shape, in XML too; nothing written for a bad submission.
            let count = try await app.rowCount("requests")
            r = try await app.call(.POST, "/open311/v2/requests.xml", rawBody: form([("api_key", key), ("service_code", "SJ0101"), ("description", "x"),
                                                                                     ("lat", "0"), ("long", "0")]),
                                   contentType: "application/x-www-form-urlencoded", as: .anonymous)
            #expect(r.status == .badRequest)
            let errors = try XMLDocument(data: r.body)
            #expect(try errors.nodes(forXPath: "/errors/error/code").first?.stringValue == "400")
            #expect(try await app.rowCount("requests") == count)

            #expect(try await Open311Keys(app.db).revoke(name: "市民通APP", by: .system("test"), now: app.nowSeconds))
            r = try await app.call(.POST, "/open311/v2/requests.json", rawBody: form([("api_key", key)] + fields),
                                   contentType: "application/x-www-form-urlencoded", as: .anonymous)
            #expect(r.status == .forbidden)
        }
    }

    @Test("names and notes with markup are escaped in XML")
    func escaping() {
        let v = Open311Value.array([.object([("description", .string("<script>alert('x')</script> & \u{1}"))])])
        #expect(v.xml(root: "service_requests", item: "request")
            == "<service_requests><request><description>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; </description></request></service_requests>")
        // JSON: what a parser reads back is the string itself.
        let text = "引号\"\\\n\u{1}"
        let json = Open311Value.array([.string(text)]).json
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String] == [text], "\(json)")
    }
}
