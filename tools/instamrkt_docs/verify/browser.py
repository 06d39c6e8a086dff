"""The web page samples (`samples.BROWSER`) run where a reader runs them: in a browser.

Debian's Chromium, driven by Playwright, opens a blank page; the sample's code is evaluated
there, its `connect` called with the mock's URL and a credential the mock accepts (as
its parameters ask, `WsSession.browser_parameters`), and the case waits for the
socket to close (the sample closes it once it has its answer), with a time limit as a guard.
What the sample logged stands for a script's output; an error it logged, or one the page
threw, fails it. Without Chromium or Playwright the browser samples are not run, and the
report says why.
"""

from __future__ import annotations

import shutil
from typing import Any

from instamrkt_docs.samples import BROWSER

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
# The sample's function, called; resolved when its socket closes, rejected on a time limit.
# What it logs is kept as JSON, a line per call.
_RUN = """async ([code, given, limit]) => {
  const logged = [], errors = [];
  const keep = (list) => (...values) => list.push(values.map((v) => JSON.stringify(v)).join(" "));
  console.log = keep(logged);
  console.error = keep(errors);
  const connect = new Function(code + "\\nreturn connect;")();
  const socket = connect(...given);
  try {
    await new Promise((closed, late) => {
      socket.addEventListener("close", closed);
      setTimeout(() => late(new Error(`the socket was still open after ${limit} s`)), limit * 1000);
    });
  } catch (error) {
    errors.push(String(error.message));
  }
  return [logged, errors];
}"""


def is_browser(sample: Any) -> bool:
    return bool(sample.language.key == BROWSER.key)


def missing() -> str:
    """Why browser samples cannot run here, or "" when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    if chromium() is None:
        return "Chromium is not installed (Debian: apt install chromium)"
    return ""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One Chromium for a run's browser samples, used from the thread that made it."""

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=chromium(), args=CHROMIUM_ARGS
            )
        except BaseException:
            self._playwright.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._browser.close()
        finally:
            self._playwright.stop()

    def run(self, code: str, given: list[str], limit: float) -> tuple[str, list[str]]:
        """Run a sample, its `connect` given these arguments: (what it logged, a line per
        call, and its errors)."""
        page = self._browser.new_page()
        said: list[str] = []  # what Chromium itself says is wrong (a refused connection)
        page.on("console", lambda message: message.type == "error" and said.append(message.text))
        page.on("pageerror", lambda error: said.append(f"the page threw: {error}"))
        try:
            logged, errors = page.evaluate(_RUN, [code, given, limit])
        except Exception as exc:  # the sample's code threw
            logged, errors = [], [str(exc).splitlines()[0] if str(exc) else type(exc).__name__]
        finally:
            page.close()
        return "\n".join(logged), [*errors, *said]
