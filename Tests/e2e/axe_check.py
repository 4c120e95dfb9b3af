#!/usr/bin/env python3
"""Accessibility check of every page state with axe-core, in headless Chromium at 1280 and 390 px.

Starts `rounds serve --accounts` on a fresh database, signs up (the first account is made an admin with
`rounds accounts role`), answers a question, hands in a wrong SQL query and a search, runs a short mock,
makes a password-reset link, and runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on each page. Exits 1
on any violation, printing each with the elements it names.

Usage: python3 Tests/e2e/axe_check.py --rounds .build/debug/rounds
axe-core comes from the `axe-playwright-python` wheel (`pip install --no-deps axe-playwright-python`),
which bundles axe.min.js; only that file is used, not Playwright.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_test import ANSWER, QUESTION, free_port, wait_for  # noqa: E402


def axe_source():
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("axe-core is missing: pip install --no-deps axe-playwright-python")
    path = os.path.join(list(spec.submodule_search_locations)[0], "axe.min.js")
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", required=True)
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    axe = axe_source()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workdir = tempfile.mkdtemp(prefix="rounds-axe-")
    database = os.path.join(workdir, "axe.sqlite")
    env = dict(os.environ, HTTP_SECURE_COOKIES="false", LOG_LEVEL="warning",
               ROUNDS_EHR_DIR=os.path.join(workdir, "ehr"), ROUNDS_EHR_PATIENTS="10000")
    server = subprocess.Popen([os.path.abspath(args.rounds), "serve", "--accounts", "--port", str(port),
                               "--db", database], env=env, cwd=workdir)
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1000"]:
        options.add_argument(flag)
    driver = None
    failures = 0
    checked = 0
    try:
        wait_for(f"{base}/api/openapi.yaml")
        driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
        driver.set_script_timeout(60)

        def audit(name):
            nonlocal failures, checked
            before = failures
            for width in (1280, 390):
                driver.set_window_size(width, 1000)
                driver.execute_script(axe)
                result = driver.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, {runOnly: {type: 'tag', values: "
                    "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
                    ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));")
                checked += 1
                for violation in result:
                    failures += 1
                    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
                    print(f"  FAIL {name} @{width}px: {violation['id']}: {violation['help']} [{targets}]")
            driver.set_window_size(1280, 1000)
            if failures == before:
                print(f"  ok   {name}")

        def visit(name, path):
            driver.get(f"{base}{path}")
            audit(name)

        visit("signin", "/signin")
        visit("signup", "/signup")
        driver.find_element(By.ID, "email").send_keys("axe@example.org")
        driver.find_element(By.ID, "password").send_keys("a long enough passphrase")
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        time.sleep(1)
        subprocess.run([os.path.abspath(args.rounds), "accounts", "role", "axe@example.org", "admin",
                        "--db", database], check=True, capture_output=True)
        visit("dashboard-first-run", "/")
        visit("bank", "/questions")
        visit("bank-search", "/questions?q=readmision&sort=title")
        visit("question", f"/questions/{QUESTION}")
        driver.find_element(By.ID, "answer").send_keys(ANSWER)
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]").click()
        time.sleep(2)
        audit("feedback")
        visit("dashboard", "/")
        visit("history", "/history")
        visit("plan", "/plan")
        visit("plan-short", "/plan?hours=0.5")
        visit("roles", "/roles")
        visit("role", "/roles/healthcare-data-analyst")
        visit("openings-empty", "/openings")
        driver.find_element(By.ID, "import-text").send_keys('{"@type": "JobPosting", "title": "Analyst"}')
        driver.find_element(By.CSS_SELECTOR, "form[action='/openings/import'] button[type=submit]").click()
        time.sleep(1)
        audit("openings-import-error")
        sample = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../docs/examples/openings-sample.jsonld")
        with open(sample, encoding="utf-8") as handle:
            box = driver.find_element(By.ID, "import-text")
            driver.execute_script("arguments[0].value = arguments[1];", box, handle.read())
        driver.find_element(By.CSS_SELECTOR, "form[action='/openings/import'] button[type=submit]").click()
        time.sleep(1)
        audit("openings")
        driver.find_element(By.CSS_SELECTOR, "table a[href^='/openings/']").click()
        time.sleep(1)
        audit("opening")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/plan'] button").click()
        time.sleep(1)
        audit("plan-opening")
        visit("history-question", f"/history?question={QUESTION}")
        visit("practice", "/practice")
        visit("labs", "/labs")
        visit("lab-hl7", "/labs/hl7-read-patient-identifiers")
        visit("lab-search", "/labs/fhir-search-patient-name")
        box = driver.find_element(By.ID, "submission")
        box.clear()
        box.send_keys("Patient?birthdate=1990")
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]:not([formaction])").click()
        time.sleep(2)
        audit("lab-search-result")
        visit("lab-sql", "/labs/sql-patients-over-65-by-condition")
        box = driver.find_element(By.ID, "submission")
        box.send_keys("SELECT 'Obesity, unspecified' AS condition, 1 AS patients")
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]:not([formaction])").click()
        time.sleep(4)
        audit("lab-sql-diff")
        visit("mock-start", "/mock")
        driver.find_element(By.CSS_SELECTOR, "form[action='/mock'] button[type=submit]").click()
        time.sleep(1)
        audit("mock-question")
        driver.find_element(By.ID, "answer").send_keys(ANSWER)
        driver.find_element(By.CSS_SELECTOR, "button[formaction$='/finish']").click()
        time.sleep(2)
        audit("mock-report")
        visit("settings", "/settings")
        visit("account", "/account")
        visit("coach", "/coach")
        visit("admin", "/admin")
        driver.find_element(By.CSS_SELECTOR, "form[action$='/reset'] button").click()
        time.sleep(1)
        audit("admin-reset-link")
        link = driver.find_element(By.CSS_SELECTOR, ".notice").text.split(": ", 1)[1].split(". ", 1)[0]
        driver.delete_all_cookies()
        driver.get(link)
        audit("password-reset")
        visit("not-found", "/questions/no-such-question")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
    print(f"\naxe-core on {checked} page states (each at 1280 and 390 px): {failures} violations")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
