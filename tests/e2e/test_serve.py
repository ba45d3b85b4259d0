"""HTTP serving end to end: start ``moderate serve`` on loopback, send real requests, stop it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import MODERATE, REPO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(trained):
    port = free_port()
    proc = subprocess.Popen([str(MODERATE), "serve", "--model", str(trained["model"]), "--port", str(port),
                             "--max-bytes", "20000"], cwd=REPO, env={**os.environ, **trained["env"]},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/health", timeout=2).status == 200:
                break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stdout.read()}")
            time.sleep(0.5)
    else:
        proc.kill()
        raise AssertionError("server did not become healthy in 120 s")
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def post(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict | str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_health(server):
    assert urllib.request.urlopen(f"{server}/health", timeout=5).status == 200


def test_invocations_return_decisions(server):
    posts = [{"text": "There's a lad with a knife outside the Co-op on Parliament Road right now"},
             {"text": "Thanks for the update on the knife amnesty", "id": "p2"}]
    status, body = post(f"{server}/invocations", json.dumps({"dataframe_records": posts}).encode())
    assert status == 200, body
    predictions = body["predictions"]
    assert len(predictions) == 2
    assert predictions[0]["action"] == "escalate" and predictions[0]["urgent"] == 1
    assert set(predictions[1]) >= {"score_abuse", "flag_spam", "action", "rules", "reasons", "policy_refs",
                                   "model_version"}


@pytest.mark.parametrize("body, content_type, code, message", [
    (b"this is not json", "application/json", 400, ""),
    (json.dumps({"dataframe_records": [{"message": "no text field"}]}).encode(), "application/json", 400, "text"),
    (json.dumps({"dataframe_records": [{"text": "x" * 30000}]}).encode(), "application/json", 413,
     "REQUEST_TOO_LARGE"),
])
def test_bad_requests_get_a_4xx_with_a_message(server, body, content_type, code, message):
    status, text = post(f"{server}/invocations", body, content_type)
    assert status == code and message in text
    assert urllib.request.urlopen(f"{server}/health", timeout=5).status == 200  # still up
