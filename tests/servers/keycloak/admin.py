"""Keycloak admin REST calls for run.sh and iat.sh (Python 3 standard library only).

    admin.py BASE anonymous   let 127.0.0.1 register without a token: the realm's anonymous
                              "Trusted Hosts" client registration policy trusts 127.0.0.1 and
                              no longer requires redirect URIs on trusted hosts, and its
                              "Max Clients Limit" (200) is raised so repeated runs fit
    admin.py BASE iat [COUNT] print an initial access token for realm dcrspec, good for COUNT
                              registrations (default 1000) and one hour

BASE is http://127.0.0.1:PORT. The admin token comes from the master realm's admin-cli
with the bootstrap admin run.sh creates (admin/admin, loopback only).
"""

import json
import sys
import urllib.request

REALM = "dcrspec"
POLICY = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"


def call(base, method, path, token=None, body=None, form=None):
    headers = {}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = "&".join(f"{k}={v}" for k, v in form.items()).encode()
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
    return json.loads(text) if text else None


def admin_token(base):
    form = {"grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": "admin"}
    return call(base, "POST", "/realms/master/protocol/openid-connect/token", form=form)["access_token"]


def anonymous(base):
    token = admin_token(base)
    policies = call(base, "GET", f"/admin/realms/{REALM}/components?type={POLICY}", token)
    changed = set()
    for c in policies:
        if c.get("subType") != "anonymous":
            continue
        if c["providerId"] == "trusted-hosts":
            c["config"]["trusted-hosts"] = ["127.0.0.1"]
            c["config"]["host-sending-registration-request-must-match"] = ["true"]
            # dcrspec registers redirect URIs on rp.example, which is not a trusted host.
            c["config"]["client-uris-must-match"] = ["false"]
        elif c["providerId"] == "max-clients":
            c["config"]["max-clients"] = ["1000000"]
        else:
            continue
        call(base, "PUT", f"/admin/realms/{REALM}/components/{c['id']}", token, body=c)
        changed.add(c["providerId"])
    missing = {"trusted-hosts", "max-clients"} - changed
    if missing:
        sys.exit(f"realm {REALM} has no anonymous policy {', '.join(sorted(missing))}")


def iat(base, count):
    token = admin_token(base)
    body = {"expiration": 3600, "count": count}
    answer = call(base, "POST", f"/admin/realms/{REALM}/clients-initial-access", token, body=body)
    print(answer["token"])


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("anonymous", "iat"):
        sys.exit(__doc__)
    base = sys.argv[1].rstrip("/")
    if sys.argv[2] == "anonymous":
        anonymous(base)
    else:
        iat(base, int(sys.argv[3]) if len(sys.argv) > 3 else 1000)


if __name__ == "__main__":
    main()
