"""Drives Linli's Open311 endpoint with `georeport` (PyPI), an existing GeoReport v2 client, unchanged.

Usage: python3 georeport_client.py BASE_URL API_KEY
The client has no submit call, so the submission is the plain form POST every GeoReport client sends.
"""
import sys

import requests
from georeport import GeoReport

base, key = sys.argv[1].rstrip("/") + "/open311/v2", sys.argv[2]

for fmt in ("json", "xml"):
    client = GeoReport(base, api_key=key, output_format=fmt)
    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    assert {"BJ0102", "SJ0101", "SJ0104"} <= codes, codes
    lamp = next(s for s in services if s["service_code"] == "BJ0102")
    assert lamp["service_name"] == "路灯不亮", lamp
    definition = client.get_service_definition("SJ0104")
    attributes = definition["attributes"]
    if fmt == "xml":  # xmltodict: <attributes><attribute>…</attribute></attributes>
        attributes = attributes["attribute"]
        attributes = attributes if isinstance(attributes, list) else [attributes]
    assert attributes[0]["code"] == "noise_time", definition

    # Submit as a GeoReport client does: form-encoded, with the key; an address string only.
    reply = requests.post(f"{base}/requests.{fmt}", data={
        "api_key": key, "service_code": "BJ0102", "description": f"路灯不亮（{fmt}）",
        "address_string": "寺巷社区", "first_name": "测试", "phone": "13800002222",
    })
    assert reply.status_code == 201, reply.text
    if fmt == "json":
        request_id = reply.json()[0]["service_request_id"]
    else:
        import xmltodict
        request_id = xmltodict.parse(reply.content)["service_requests"]["request"]["service_request_id"]

    one = client.get_service_request(request_id)
    assert one["service_request_id"] == request_id and one["status"] == "open", one
    assert one["service_code"] == "BJ0102" and "路灯不亮" in one["description"], one
    listed = client.get_service_requests(service_code="BJ0102", status="open")
    listed = listed if isinstance(listed, list) else [listed]
    assert any(r["service_request_id"] == request_id for r in listed), listed

    bad = requests.post(f"{base}/requests.{fmt}", data={"service_code": "BJ0102", "description": "x", "address_string": "寺巷"})
    assert bad.status_code == 403, bad.text
    print(f"georeport client ({fmt}): {len(services)} services, request {request_id} submitted and read back")
