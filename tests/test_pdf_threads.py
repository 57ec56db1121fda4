"""The web server answers with several threads per process (formsvc/gunicorn_conf.py),
and WeasyPrint shares one Pango font map per process: two PDFs laid out at once by two
threads of one process could corrupt it. PDFs are made one at a time per process
(engine._pdf_lock); the threads' PDFs are all whole and the same as one made alone."""

from __future__ import annotations

import threading
import time

from formsvc.documents import engine

HTML = "<html><body><h1>คำสั่ง ทดสอบ</h1><p>ข้อความภาษาไทย {n}</p></body></html>"


def test_threads_of_one_process_lay_out_one_pdf_at_a_time(monkeypatch):
    from weasyprint import HTML as WeasyHTML

    inside, most = [0], [0]
    guard = threading.Lock()
    real = WeasyHTML.write_pdf

    def counting(self, *args, **kwargs):
        with guard:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            time.sleep(0.05)  # long enough for the other threads to arrive
            return real(self, *args, **kwargs)
        finally:
            with guard:
                inside[0] -= 1

    monkeypatch.setattr(WeasyHTML, "write_pdf", counting)
    alone = [engine.html_to_pdf(HTML.format(n=n)) for n in range(4)]
    results: dict[int, bytes] = {}
    threads = [
        threading.Thread(target=lambda n=n: results.__setitem__(n, engine.html_to_pdf(HTML.format(n=n))))
        for n in range(4)
    ]
    most[0] = 0
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    for n in range(4):
        assert results[n].startswith(b"%PDF") and results[n].rstrip().endswith(b"%%EOF")
        assert len(results[n]) == len(alone[n])
