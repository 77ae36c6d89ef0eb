"""A stand-in for an attacker's server: answers every request 200 and writes
one JSON line per request (method, path, whether it carried a credential) to
the log given as argv[1]; prints its port on stdout once listening.

    python3 catcher.py LOG &
"""
import http.server
import json
import sys


class Catch(http.server.BaseHTTPRequestHandler):
    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        line = {
            "method": self.command,
            "path": self.path,
            "authorization": self.headers.get("Authorization") is not None,
            "token_in_url": "access_token" in self.path,
            "bytes": len(body),
        }
        with open(sys.argv[1], "a") as log:
            log.write(json.dumps(line) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Catch)
print(server.server_address[1], flush=True)
server.serve_forever()
