"""The MCP Python SDK's authorization server routes (`mcp.server.auth.routes.create_auth_routes`)
with an in-memory provider, served by uvicorn on 127.0.0.1, for dcrspec's real-server tests.

    python server.py PORT

The provider keeps registered clients in a dict and implements nothing else: dcrspec only
registers clients, and the SDK offers no RFC 7592 management. Client registration is
switched on (`ClientRegistrationOptions(enabled=True)`, the SDK's default is off) with the
SDK's defaults otherwise. Prints "ready PORT" once uvicorn listens.
"""

import sys

import uvicorn
from mcp.server.auth.routes import create_auth_routes
from mcp.server.auth.settings import ClientRegistrationOptions
from pydantic import AnyHttpUrl
from starlette.applications import Starlette


class InMemoryProvider:
    """The store half of `OAuthAuthorizationServerProvider`; the other methods refuse."""

    def __init__(self) -> None:
        self.clients = {}

    async def get_client(self, client_id):
        return self.clients.get(client_id)

    async def register_client(self, client_info):
        self.clients[client_info.client_id] = client_info

    # Authorization and tokens are out of dcrspec's scope.
    async def authorize(self, *args, **kwargs):
        raise NotImplementedError

    async def load_authorization_code(self, *args, **kwargs):
        return None

    async def exchange_authorization_code(self, *args, **kwargs):
        raise NotImplementedError

    async def load_refresh_token(self, *args, **kwargs):
        return None

    async def exchange_refresh_token(self, *args, **kwargs):
        raise NotImplementedError

    async def load_access_token(self, *args, **kwargs):
        return None

    async def revoke_token(self, *args, **kwargs):
        return None


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: python server.py PORT")
    port = int(sys.argv[1])
    issuer = f"http://127.0.0.1:{port}"
    routes = create_auth_routes(
        InMemoryProvider(),
        AnyHttpUrl(issuer),
        client_registration_options=ClientRegistrationOptions(enabled=True),
    )
    app = Starlette(routes=routes)

    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)

    # uvicorn has no "listening" callback: announce readiness from its startup hook.
    original_startup = server.startup

    async def startup(sockets=None):
        await original_startup(sockets=sockets)
        print(f"issuer {issuer}", flush=True)
        print(f"ready {port}", flush=True)

    server.startup = startup
    server.run()


if __name__ == "__main__":
    main()
