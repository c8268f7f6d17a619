"""The desktop keyboard walk of tests/test_browser.py, in a process of its own.

    python tests/keyboard_walk.py BASE_URL PAGE...

Tabs through every control of each page in its own Chromium and prints the problems found
(browser.check_keyboard) as a JSON list. test_browser.py starts it beside the axe scans: the
walk mostly waits on the browser after each Tab, so the two overlap on the CPU.
"""

from __future__ import annotations

import json
import sys

from browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, check_keyboard, new_page
from playwright.sync_api import sync_playwright


def walk(base: str, names: list[str]) -> list[str]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = new_page(browser, base, viewport=DESKTOP, reduced_motion="reduce")
        problems = [problem for name in names for problem in check_keyboard(page, base + name)]
        page.context.close()
        browser.close()
    return problems


if __name__ == "__main__":
    json.dump(walk(sys.argv[1], sys.argv[2:]), sys.stdout)
