"""Prints the current RFC 6238 code for a base32 secret (used by the benchmark to sign in)."""
import base64, hashlib, hmac, struct, sys, time

secret = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
mac = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = mac[-1] & 0x0F
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
