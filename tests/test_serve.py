"""The preview server (passo/serve.py) as browsers meet it: a file changed within the same second is never
answered "304 Not Modified" by its date, and an unchanged one is, by its content."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from passo.serve import make_server


def test_a_revalidated_file_comes_back_as_it_is_now(tmp_path: Path) -> None:
    (tmp_path / "sw.js").write_text("const BUILD = 'one';\n")
    server = make_server(tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sw.js"
        with urllib.request.urlopen(url) as first:
            assert first.read() == b"const BUILD = 'one';\n"
        (tmp_path / "sw.js").write_text("const BUILD = 'two';\n")  # a rebuild in the same second
        # What a browser sends to revalidate its copy: the date its copy came with.
        request = urllib.request.Request(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        with urllib.request.urlopen(request) as response:
            assert response.status == 200
            assert response.read() == b"const BUILD = 'two';\n"
            tag = response.headers["ETag"]
        # Unchanged since: the browser's copy is confirmed with no body, as a host does.
        request = urllib.request.Request(url, headers={"If-None-Match": tag})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request)
        assert answer.value.code == 304
        answer.value.close()
        # A browser revalidating by the date it was sent (a service worker's update check does): unchanged, 304.
        request = urllib.request.Request(url, headers={"If-Modified-Since": response.headers["Last-Modified"]})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request)
        assert answer.value.code == 304
        answer.value.close()
        (tmp_path / "sw.js").write_text("const BUILD = 'three';\n")  # same second, same date: still sent anew
        for headers in ({"If-None-Match": tag}, {"If-Modified-Since": response.headers["Last-Modified"]}):
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as again:
                assert again.read() == b"const BUILD = 'three';\n"
    finally:
        server.shutdown()
        server.server_close()
