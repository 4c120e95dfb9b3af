#!/usr/bin/env python3
"""End-to-end test of the web app in a real browser: headless Chromium driven by Selenium.

Starts `rounds serve --accounts` on a fresh database, then, as a new user would: signs up, answers a
question, checks the feedback highlights the evidence, finds the attempt on the dashboard, starts a
mock interview and watches the countdown tick (the script runs under the Content-Security-Policy),
and checks that every page it visits has a main landmark and labelled form fields. Screenshots of
each page go to the folder given by --screenshots.

Usage: python3 Tests/e2e/browser_test.py --rounds .build/debug/rounds [--screenshots DIR]
Needs Debian's chromium and chromium-driver, and `pip install -r Tests/e2e/requirements.txt`.
"""

import argparse
import datetime
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

QUESTION = "ransomware-attack-hospital-response"
ANSWER = (
    "First I activate the incident response plan and isolate the infected systems from the network "
    "without powering them off, so the spread stops and evidence is kept. Clinicians switch to downtime "
    "procedures so patient care continues safely. We restore from offline, immutable backups once we "
    "know they are clean, and we report to the FBI and to HHS. We do not pay the ransom as a first step. "
    "Then we assess whether PHI was accessed, because under the HIPAA breach notification rule a "
    "ransomware attack is presumed to be a breach unless a risk assessment shows a low probability that "
    "the data was compromised."
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url} within {seconds} s")


class Check:
    def __init__(self, driver, shots):
        self.driver = driver
        self.shots = shots
        self.failures = []
        self.passed = 0

    def that(self, condition, what):
        if condition:
            self.passed += 1
            print(f"  ok   {what}")
        else:
            self.failures.append(what)
            print(f"  FAIL {what}")

    def page(self, name):
        """Screenshot, then the checks every page must pass."""
        if self.shots:
            self.driver.save_screenshot(os.path.join(self.shots, f"{name}.png"))
        d = self.driver
        self.that(len(d.find_elements(By.CSS_SELECTOR, "main#main")) == 1, f"{name}: one main landmark")
        self.that(len(d.find_elements(By.TAG_NAME, "h1")) == 1, f"{name}: one h1")
        unlabelled = []
        for field in d.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
            fid = field.get_attribute("id")
            labelled = field.get_attribute("aria-label") or (
                fid and d.find_elements(By.CSS_SELECTOR, f"label[for='{fid}']"))
            if not labelled:
                unlabelled.append(field.get_attribute("name"))
        self.that(not unlabelled, f"{name}: every field has a label {unlabelled or ''}")
        errors = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
        self.that(not errors, f"{name}: no console errors (CSP violations included) {errors or ''}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", required=True, help="the rounds executable")
    parser.add_argument("--screenshots", help="folder for screenshots")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workdir = tempfile.mkdtemp(prefix="rounds-e2e-")
    # Small SQL lab databases, built by the server in the background while the other pages are tested.
    env = dict(os.environ, HTTP_SECURE_COOKIES="false", LOG_LEVEL="warning",
               ROUNDS_EHR_DIR=os.path.join(workdir, "ehr"), ROUNDS_EHR_PATIENTS="10000")
    server = subprocess.Popen(
        [os.path.abspath(args.rounds), "serve", "--accounts", "--port", str(port), "--db", os.path.join(workdir, "e2e.sqlite")],
        env=env, cwd=workdir)
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1000"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = None
    try:
        wait_for(f"{base}/api/openapi.yaml")
        driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
        wait = WebDriverWait(driver, 15)
        check = Check(driver, args.screenshots)

        print("Sign up")
        driver.get(f"{base}/")
        check.that("/signin" in driver.current_url, "a visitor is sent to sign in")
        driver.get(f"{base}/signup")
        check.page("signup")
        driver.find_element(By.ID, "email").send_keys("e2e@example.org")
        driver.find_element(By.ID, "password").send_keys("a long enough passphrase")
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.XPATH, "//h1[normalize-space()='Dashboard']")))
        check.that(True, "signing up lands on the dashboard")
        check.page("dashboard-empty")

        print("First run: what are you preparing for?")
        interview = (datetime.date.today() + datetime.timedelta(days=28))
        Select(driver.find_element(By.ID, "setup-role")).select_by_value("ehr-integration-analyst")
        # A date input takes the date as the browser's locale types it; set it directly instead.
        driver.execute_script("document.getElementById('setup-date').value = arguments[0]", interview.isoformat())
        hours = driver.find_element(By.ID, "setup-hours")
        hours.clear()
        hours.send_keys("6")
        driver.find_element(By.CSS_SELECTOR, "form.setup button[type=submit]").click()
        wait.until(EC.url_contains("/roles/ehr-integration-analyst"))
        check.that("This is your target role" in driver.find_element(By.TAG_NAME, "body").text,
                   "the first-run form shows the chosen role's page")
        check.page("role")
        driver.get(f"{base}/")
        body = driver.find_element(By.TAG_NAME, "body").text
        check.that("28\ndays to your interview" in body or "28 days to your interview" in body,
                   "the dashboard counts down to the interview")
        check.that("What are you preparing for?" not in body, "the first-run form is gone once answered")
        driver.get(f"{base}/plan")
        check.that("28 days left" in driver.find_element(By.TAG_NAME, "body").text, "the plan runs to the date")
        check.page("plan")

        print("Answer a question")
        driver.get(f"{base}/questions/{QUESTION}")
        check.page("question")
        box = driver.find_element(By.ID, "answer")
        box.send_keys(ANSWER)
        # Issue 18: a typed answer survives a reload (kept in this browser until the server saves it).
        time.sleep(0.8)
        driver.refresh()
        box = wait.until(EC.presence_of_element_located((By.ID, "answer")))
        check.that(box.get_attribute("value") == ANSWER, "the draft is restored after a reload")
        check.that("Restored the draft" in driver.find_element(By.ID, "answer-draft").text,
                   "the page says the draft was restored")
        # ...and on another computer: without this browser's copy, the account's copy fills the box.
        time.sleep(2.5)
        driver.execute_script("window.localStorage.clear()")
        driver.refresh()
        box = wait.until(EC.presence_of_element_located((By.ID, "answer")))
        check.that(box.get_attribute("value") == ANSWER,
                   "the draft saved to the account comes back without this browser's copy")
        check.that("Restored your draft, saved" in driver.find_element(By.ID, "answer-draft").text,
                   "the page says the account's draft was restored")
        box.submit()
        wait.until(EC.url_contains("/attempts/"))
        attempt_path = driver.current_url.replace(base, "")
        check.page("feedback")
        driver.get(f"{base}/questions/{QUESTION}")
        check.that(driver.find_element(By.ID, "answer").get_attribute("value") == "",
                   "once saved, the draft is forgotten: the box is empty again")
        driver.get(f"{base}{attempt_path}")
        highlights = driver.find_elements(By.CSS_SELECTOR, ".answer-text mark.ev")
        check.that(len(highlights) >= 3, f"the feedback highlights evidence ({len(highlights)} spans)")
        marked = " | ".join(m.text for m in highlights)
        check.that("immutable backups" in marked, f"the backups are highlighted as evidence ({marked})")
        body = driver.find_element(By.TAG_NAME, "body").text
        check.that("Model answer" in body or "model answer" in body, "the model answer is revealed after answering")

        print("Find it on the dashboard")
        driver.get(f"{base}/")
        links = driver.find_elements(By.CSS_SELECTOR, f"a[href='{attempt_path}']")
        check.that(len(links) == 1, "the attempt is listed on the dashboard")
        check.page("dashboard")

        print("Keyboard")
        driver.get(f"{base}/")
        active = driver.switch_to.active_element
        active.send_keys("\t")
        first = driver.switch_to.active_element
        check.that(first.get_attribute("class") == "skip", "Tab reaches the skip link first")

        print("Mock interview")
        driver.get(f"{base}/mock")
        check.page("mock-start")
        driver.find_element(By.CSS_SELECTOR, "form[action='/mock'] button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "clock")))
        check.page("mock-question")
        first_clock = driver.find_element(By.ID, "clock").text
        time.sleep(2.2)
        second_clock = driver.find_element(By.ID, "clock").text
        check.that(first_clock != second_clock, f"the countdown ticks ({first_clock} → {second_clock})")
        driver.find_element(By.ID, "answer").send_keys(ANSWER)
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "clock")))
        # Ending the interview with an answer in the box keeps that answer (issue 18).
        driver.find_element(By.ID, "answer").send_keys(ANSWER)
        driver.find_element(By.CSS_SELECTOR, "button[formaction$='/finish']").click()
        wait.until(EC.url_contains("/report"))
        check.page("mock-report")
        check.that("2/" in driver.find_element(By.CSS_SELECTOR, ".tiles").text,
                   "the report counts two answers: the one in the box when the interview was ended is saved")
        report_path = driver.current_url.replace(base, "")

        print("History")
        driver.get(f"{base}/history")
        check.page("history")
        rows = driver.find_elements(By.CSS_SELECTOR, "table.history tbody tr")
        check.that(len(rows) == 3, f"the history lists the three answers ({len(rows)} rows)")
        driver.get(f"{base}/history?question={QUESTION}")
        check.page("history-question")
        body = driver.find_element(By.TAG_NAME, "main").text
        check.that("Model answer" in body and "incident response plan" in body,
                   "one question's answers are shown beside its model answer")

        print("Labs")
        driver.get(f"{base}/labs")
        check.page("labs")
        check.that(len(driver.find_elements(By.CSS_SELECTOR, "ul.labs li")) >= 20, "the labs are listed")
        driver.find_element(By.CSS_SELECTOR, "a[href='/labs/hl7-read-patient-identifiers']").click()
        wait.until(EC.presence_of_element_located((By.ID, "answer-mrn")))
        check.page("lab")
        driver.find_element(By.ID, "answer-mrn").send_keys("XK-20931")
        driver.find_element(By.ID, "answer-family").send_keys("RIVERA")
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "result")))
        check.page("lab-result")
        result = driver.find_element(By.ID, "result").text
        check.that("Not yet" in result and "PID-3 repeats" in result, "a wrong answer is explained with its path")
        check.that("48213" not in result, "the right answer is not given away")
        answers = {"event": "A01", "mrn": "48213", "mrn-authority": "SGH", "member-id": "XK-20931",
                   "family": "RIVERA", "birth-date": "19840721"}
        for key, value in answers.items():
            field = driver.find_element(By.ID, f"answer-{key}")
            field.clear()
            field.send_keys(value)
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "result")))
        check.that("Accepted" in driver.find_element(By.ID, "result").text, "the corrected answers are accepted")
        driver.get(f"{base}/labs/fhir-write-fix-observation")
        box = driver.find_element(By.ID, "submission")
        box.send_keys('{"resourceType": "Observation", "status": "Final", "code": {"text": "HbA1c"}}')
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "result")))
        check.page("lab-fhir-result")
        check.that("Observation.status" in driver.find_element(By.ID, "result").text,
                   "FHIR problems are reported with their location")

        print("SQL lab")
        driver.get(f"{base}/labs/sql-telehealth-no-show-rate")
        check.that(len(driver.find_elements(By.CSS_SELECTOR, "details summary")) >= 1, "the schema browser is there")
        box = driver.find_element(By.ID, "submission")
        check.that(box.get_attribute("id") == "submission" and
                   driver.find_elements(By.CSS_SELECTOR, "label[for='submission']"), "the SQL editor has a label")
        box.send_keys("SELECT type, COUNT(*) AS appointments FROM encounters GROUP BY type ORDER BY type")
        driver.find_element(By.CSS_SELECTOR, "button[formaction$='/run#output']").click()
        WebDriverWait(driver, 90).until(EC.presence_of_element_located((By.ID, "output")))
        check.page("lab-sql-run")
        output = driver.find_element(By.ID, "output").text
        check.that("telehealth" in output and "appointments" in output, "Run shows the rows")
        driver.find_element(By.CSS_SELECTOR, "form.answer button[type=submit]:not([formaction])").click()
        wait.until(EC.presence_of_element_located((By.ID, "result")))
        check.page("lab-sql-result")
        result = driver.find_element(By.ID, "result").text
        check.that("Not yet" in result and "column" in result, "a wrong SQL result is explained")

        driver.get(f"{base}/")
        tiles = " ".join(driver.find_element(By.CSS_SELECTOR, ".tiles").text.split())
        check.that(re.search(r"1 of \d+ labs solved", tiles) is not None,
                   "the dashboard counts the solved lab")

        print("Phone")
        # Issue 18: at 390 px no page scrolls sideways, and a table either fits or scrolls in its own box.
        driver.set_window_size(390, 900)
        overflow = """
            const width = document.documentElement.clientWidth;
            const problems = [];
            if (document.documentElement.scrollWidth > width + 1) problems.push('page ' + document.documentElement.scrollWidth);
            for (const table of document.querySelectorAll('table')) {
              let box = table.parentElement;
              while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
              const right = table.getBoundingClientRect().right;
              if (!box && right > width + 1) problems.push('table cut at ' + Math.round(right));
            }
            return problems;"""
        for name, path in [("phone-dashboard", "/"), ("phone-history", "/history"), ("phone-mock-report", report_path),
                           ("phone-bank", "/questions"), ("phone-labs", "/labs"), ("phone-feedback", attempt_path)]:
            driver.get(f"{base}{path}")
            problems = driver.execute_script(overflow)
            check.that(not problems, f"{name}: nothing clipped or scrolling sideways at 390 px {problems}")
            if args.screenshots:
                driver.save_screenshot(os.path.join(args.screenshots, f"{name}.png"))
        driver.get(f"{base}/history")
        history_cells = driver.execute_script("return getComputedStyle(document.querySelector('table.history td')).display;")
        check.that(history_cells == "block", "on a phone the history table is one card per answer")
        driver.set_window_size(1280, 1000)

        print("Sign out")
        driver.get(f"{base}/account")
        check.page("account")
        driver.find_element(By.CSS_SELECTOR, "form[action='/signout'] button").click()
        wait.until(EC.url_contains("/signin"))
        driver.get(f"{base}{attempt_path}")
        check.that("/signin" in driver.current_url, "after signing out the attempt needs sign-in again")

        print(f"\n{check.passed} checks passed, {len(check.failures)} failed")
        return 1 if check.failures else 0
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
