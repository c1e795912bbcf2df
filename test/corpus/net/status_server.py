"""A small TCP status server used by the load balancer and by operators."""
import logging
import os
import pickle
import socket
import socketserver
import subprocess

log = logging.getLogger("status")
COMMANDS = {"uptime": ["uptime"], "disk": ["df", "-h"], "load": ["cat", "/proc/loadavg"]}
STATE_FILE = "/var/lib/status/state.pkl"


class StatusHandler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline().decode().strip()
        if line in COMMANDS:
            out = subprocess.run(COMMANDS[line], capture_output=True).stdout  # safe: command-injection
            self.wfile.write(out)
        else:
            self.wfile.write(b"unknown command\n")


def serve_raw(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("0.0.0.0", port))  # expect: bind-all-interfaces
    srv.listen(5)
    while True:
        conn, addr = srv.accept()
        data = conn.recv(1024).decode()
        name, _, arg = data.partition(" ")
        log.info("command %s from %s", name, addr)  # expect: log-injection
        if name == "ping":
            out = subprocess.getoutput("ping -c 1 " + arg)  # expect: command-injection
            conn.sendall(out.encode())
        elif name == "calc":
            conn.sendall(str(eval(arg)).encode())  # expect: code-injection
        elif name == "state":
            blob = conn.recv(65536)
            state = pickle.loads(blob)  # expect: unsafe-deserialization
            conn.sendall(repr(state).encode())
        elif name == "log":
            cleaned = arg.replace("\n", " ").replace("\r", " ")
            log.info("remote note: %s", cleaned)  # safe: log-injection
        conn.close()


def load_state():
    with open(STATE_FILE, "rb") as fh:  # safe: path-traversal
        return pickle.load(fh)  # expect: unsafe-deserialization


def serve_local(port):
    with socketserver.TCPServer(("127.0.0.1", port), StatusHandler) as server:  # safe: bind-all-interfaces
        server.serve_forever()


if __name__ == "__main__":
    serve_local(int(os.environ.get("STATUS_PORT", "9100")))
