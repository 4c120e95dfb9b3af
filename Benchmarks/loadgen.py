#!/usr/bin/env python3
"""Virtual learners for Rounds' scale-out benchmark (Benchmarks/scale-out.sh).

Each learner keeps one HTTP/1.1 keep-alive connection to the proxy, holds its own cookies and CSRF
token, and loops through what a learner does: open the dashboard, open a question, answer it, rate
the answer, hand in an HL7 v2 lab and an SQL lab, and read their stats, with a think time between
steps. Every request is timed per route. Every answer and hand-in the server confirmed (303 with
the new record's address) is written to a log, so that nothing committed can go missing unnoticed:
`verify` reads each learner's export and checks that every logged record is in it.

Standard library only (asyncio), so that the benchmark needs nothing from PyPI.

  loadgen.py signup  --url URL --learners N --state FILE
  loadgen.py run     --url URL --state FILE --seconds S --out FILE [--events FILE] [--limit N]
  loadgen.py verify  --url URL --state FILE --committed FILE...
"""

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import time
import urllib.parse

PASSWORD = "correct horse battery staple"
QUESTIONS = [
    "ransomware-attack-hospital-response",
    "thirty-day-readmission-model",
    "minimum-necessary-explained-to-new-staff",
    "fhir-rest-interactions-read-search-create-update",
    "keys-and-constraints-in-an-ehr-schema",
]
ANSWER = (
    "I would start from the clinical question and the data we hold in the EHR. First I confirm the "
    "definition with the clinicians, then check data quality: duplicates, missing discharge times and "
    "codes that changed. I keep PHI to the minimum necessary, work on a de-identified extract where I "
    "can, and explain the result and its limits in plain terms to the people who will act on it."
)
HL7_LAB = "hl7-read-patient-identifiers"
HL7_FIELDS = [
    ("answer-event", "A01"), ("answer-mrn", "48213"), ("answer-mrn-authority", "SGH"),
    ("answer-member-id", "XK-20931"), ("answer-family", "RIVERA"), ("answer-birth-date", "19840721"),
]
SQL_LAB = "sql-average-length-of-stay"
SQL = (
    "SELECT d.name AS department, COUNT(*) AS stays, "
    "ROUND(AVG(julianday(e.discharge_time) - julianday(e.admit_time)), 2) AS avg_los_days "
    "FROM encounters e JOIN departments d ON d.id = e.department_id "
    "WHERE e.type = 'inpatient' AND e.status = 'finished' AND e.discharge_time > e.admit_time "
    "GROUP BY d.name ORDER BY department;"
)
CSRF = re.compile(rb'name="csrf" value="([^"]+)"')


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


class Connection:
    """One keep-alive HTTP/1.1 connection, reopened when the server or the proxy closes it."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader = self.writer = None

    async def close(self):
        if self.writer:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except Exception:
                pass
        self.reader = self.writer = None

    async def request(self, method, path, headers, body=b""):
        for attempt in (0, 1):
            fresh = self.writer is None
            if fresh:
                self.reader, self.writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), self.timeout)
            lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            lines += [f"{k}: {v}" for k, v in headers.items()]
            lines.append(f"Content-Length: {len(body)}")
            try:
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                await self.writer.drain()
                return await asyncio.wait_for(self._read(), self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                await self.close()
                # A kept-alive connection the other side closed while idle: send once more on a new one,
                # but only if nothing can have reached the server (the request never got a byte back).
                if fresh or attempt == 1 or method != "GET":
                    raise error
            except Exception:
                await self.close()
                raise

    async def _read(self):
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            key = name.strip().lower()
            headers[key] = headers[key] + "\n" + value.strip() if key in headers else value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body)


class Learner:
    def __init__(self, index, host, port, timeout, cookies=None, csrf=""):
        self.index = index
        self.email = f"learner{index:05d}@bench.example.org"
        # Each learner is on an address of their own, as a cohort is: nginx appends the real peer
        # (127.0.0.1, a trusted proxy for the instances), so the per-address limits count this one.
        self.address = f"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}"
        self.cookies = dict(cookies or {})
        self.csrf = csrf
        self.connection = Connection(host, port, timeout)

    def state(self):
        return {"index": self.index, "cookies": self.cookies, "csrf": self.csrf}

    async def call(self, method, path, fields=None):
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in sorted(self.cookies.items()))
        body = b""
        if fields is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode([("csrf", self.csrf)] + fields).encode()
        response = await self.connection.request(method, path, headers, body)
        for cookie in response.headers.get("set-cookie", "").split("\n"):
            if "=" in cookie:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        found = CSRF.search(response.body)
        if found:
            self.csrf = found.group(1).decode()
        return response


class Recorder:
    """Per-route timings and statuses, with the time of each request since the run began."""

    def __init__(self, started):
        self.started = started
        self.samples = {}
        self.events = []
        self.committed = []

    def add(self, route, seconds, status, error=None):
        self.samples.setdefault(route, []).append((seconds, status))
        # Wall-clock time, so that the script can line events up with the faults it injected.
        self.events.append((round(time.time(), 3), route, status, error))


def successful(route, status):
    expected = {"answer": 303, "rate": 303, "hl7 lab": 303, "sql lab": 303, "sign in": 303, "sign out": 303}
    return status == expected.get(route, 200)


async def step(learner, recorder, route, method, path, fields=None):
    started = time.monotonic()
    try:
        response = await learner.call(method, path, fields)
    except Exception as error:
        recorder.add(route, time.monotonic() - started, 0, type(error).__name__)
        return None
    label = None
    if response.status == 503:
        # Which refusal: the grading queue is full, or the database cannot be reached.
        label = "database_unavailable" if b"database" in response.body else "graders_busy"
    recorder.add(route, time.monotonic() - started, response.status, label)
    return response


async def loop(learner, recorder, deadline, think):
    rng = random.Random(learner.index)
    await asyncio.sleep(rng.uniform(0, think[1]))
    turn = 0
    while time.monotonic() < deadline:
        question = QUESTIONS[(learner.index + turn) % len(QUESTIONS)]
        turn += 1
        if rng.random() < 0.05:
            # Now and then a learner signs out and back in (a bcrypt check on the server).
            await step(learner, recorder, "sign out", "POST", "/signout", [])
            await step(learner, recorder, "sign-in page", "GET", "/signin")
            await step(learner, recorder, "sign in", "POST", "/signin",
                       [("email", learner.email), ("password", PASSWORD)])
        plan = [
            ("dashboard", "GET", "/", None),
            ("question", "GET", f"/questions/{question}", None),
            ("answer", "POST", f"/questions/{question}/answers", [("answer", ANSWER)]),
            ("rate", "POST", None, [("rating", "3")]),
            ("lab page", "GET", f"/labs/{HL7_LAB}", None),
            ("hl7 lab", "POST", f"/labs/{HL7_LAB}/attempts", HL7_FIELDS),
            ("sql lab", "POST", f"/labs/{SQL_LAB}/attempts", [("submission", SQL)]),
            ("stats", "GET", "/api/v1/stats", None),
        ]
        attempt_path = None
        for route, method, path, fields in plan:
            if time.monotonic() >= deadline:
                return
            if route == "rate":
                if attempt_path is None:
                    continue
                path = attempt_path + "/rating"
            response = await step(learner, recorder, route, method, path, fields)
            if response is not None and response.status == 303:
                location = response.headers.get("location", "")
                if route == "answer":
                    match = re.match(r"/attempts/(\d+)", location)
                    attempt_path = match and match.group(0)
                    if match:
                        recorder.committed.append([learner.index, "attempt", int(match.group(1))])
                elif route in ("hl7 lab", "sql lab"):
                    match = re.search(r"attempt=(\d+)", location)
                    if match:
                        recorder.committed.append([learner.index, "lab", int(match.group(1))])
            await asyncio.sleep(rng.uniform(*think))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def summary(recorder, seconds):
    routes = {}
    total = errors = 0
    for route, samples in sorted(recorder.samples.items()):
        times = [s for s, _ in samples]
        failed = sum(1 for _, status in samples if not successful(route, status))
        statuses = {}
        for event in recorder.events:
            if event[1] == route:
                key = f"{event[2]} {event[3]}" if event[2] and event[3] else str(event[2]) if event[2] else event[3]
                statuses[key] = statuses.get(key, 0) + 1
        routes[route] = {
            "requests": len(samples), "errors": failed, "statuses": statuses,
            "p50_ms": round(1000 * statistics.median(times), 1),
            "p99_ms": round(1000 * percentile(times, 0.99), 1),
        }
        total += len(samples)
        errors += failed
    return {
        "seconds": seconds, "requests": total, "errors": errors,
        "throughput_rps": round(total / seconds, 1), "committed": len(recorder.committed), "routes": routes,
    }


async def signup(args):
    host, port = parse(args.url)
    learners = [Learner(i, host, port, args.timeout) for i in range(args.learners)]
    gate = asyncio.Semaphore(args.concurrency)
    failures = []

    async def one(learner):
        async with gate:
            for attempt in range(5):
                await learner.call("GET", "/signup")
                response = await learner.call(
                    "POST", "/signup", [("email", learner.email), ("password", PASSWORD)])
                if response.status == 303:
                    break
                if response.status == 400 and b"already" in response.body:
                    await learner.call("GET", "/signin")
                    response = await learner.call(
                        "POST", "/signin", [("email", learner.email), ("password", PASSWORD)])
                    if response.status == 303:
                        break
                await asyncio.sleep(1 + attempt)
            else:
                failures.append((learner.index, response.status))
            await learner.connection.close()

    started = time.monotonic()
    await asyncio.gather(*(one(learner) for learner in learners))
    with open(args.state, "w") as file:
        json.dump([learner.state() for learner in learners], file)
    print(json.dumps({"learners": len(learners), "failed": len(failures),
                      "seconds": round(time.monotonic() - started, 1)}))
    return 1 if failures else 0


async def run(args):
    host, port = parse(args.url)
    with open(args.state) as file:
        states = json.load(file)
    active = states[: args.limit] if args.limit else states
    learners = [Learner(s["index"], host, port, args.timeout, s["cookies"], s["csrf"]) for s in active]
    started = time.monotonic()
    recorder = Recorder(started)
    deadline = started + args.seconds
    await asyncio.gather(*(loop(learner, recorder, deadline, (args.think_min, args.think_max))
                           for learner in learners))
    elapsed = time.monotonic() - started
    for learner in learners:
        await learner.connection.close()
    # Keep every learner's latest cookies (a sign-in replaces the session), the idle ones' as they were.
    latest = {learner.index: learner.state() for learner in learners}
    with open(args.state, "w") as file:
        json.dump([latest.get(s["index"], s) for s in states], file)
    result = summary(recorder, round(elapsed, 1))
    with open(args.out, "w") as file:
        json.dump({"summary": result, "committed": recorder.committed}, file)
    if args.events:
        with open(args.events, "w") as file:
            json.dump(recorder.events, file)
    print(json.dumps(result))
    return 0


async def verify(args):
    """Every committed answer and hand-in the workload logged is in its learner's export."""
    host, port = parse(args.url)
    with open(args.state) as file:
        states = {s["index"]: s for s in json.load(file)}
    logged = {}
    for path in args.committed:
        with open(path) as file:
            for index, kind, record in json.load(file)["committed"]:
                logged.setdefault(index, {"attempt": set(), "lab": set()})[kind].add(record)
    gate = asyncio.Semaphore(32)
    missing = []
    exported = {"attempt": 0, "lab": 0}

    async def one(index):
        state = states[index]
        learner = Learner(index, host, port, args.timeout, state["cookies"], state["csrf"])
        async with gate:
            response = await learner.call("GET", "/export.json")
            await learner.connection.close()
        if response.status != 200:
            missing.append((index, "export", response.status))
            return
        export = json.loads(response.body)
        attempts = {a["id"] for a in export["attempts"]}
        labs = {a["id"] for a in export.get("labAttempts", [])}
        exported["attempt"] += len(attempts)
        exported["lab"] += len(labs)
        for record in logged[index]["attempt"] - attempts:
            missing.append((index, "attempt", record))
        for record in logged[index]["lab"] - labs:
            missing.append((index, "lab", record))

    await asyncio.gather(*(one(index) for index in logged))
    result = {
        "learners": len(logged),
        "logged_attempts": sum(len(v["attempt"]) for v in logged.values()),
        "logged_labs": sum(len(v["lab"]) for v in logged.values()),
        "exported_attempts": exported["attempt"], "exported_labs": exported["lab"],
        "missing": len(missing), "examples": missing[:10],
    }
    print(json.dumps(result))
    return 1 if missing else 0


def parse(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname, parts.port or 80


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("signup", "run", "verify"):
        command = commands.add_parser(name)
        command.add_argument("--url", required=True)
        command.add_argument("--state", required=True, help="the learners' cookies, kept between runs")
        command.add_argument("--timeout", type=float, default=120)
    commands.choices["signup"].add_argument("--learners", type=int, required=True)
    commands.choices["signup"].add_argument("--concurrency", type=int, default=8)
    commands.choices["run"].add_argument("--seconds", type=float, required=True)
    commands.choices["run"].add_argument("--out", required=True)
    commands.choices["run"].add_argument("--events")
    commands.choices["run"].add_argument("--limit", type=int, help="only the first N learners")
    commands.choices["run"].add_argument("--think-min", type=float, default=1.0)
    commands.choices["run"].add_argument("--think-max", type=float, default=3.0)
    commands.choices["verify"].add_argument("--committed", nargs="+", required=True)
    args = parser.parse_args()
    handler = {"signup": signup, "run": run, "verify": verify}[args.command]
    sys.exit(asyncio.run(handler(args)))


if __name__ == "__main__":
    main()
