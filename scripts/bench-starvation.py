#!/usr/bin/env python3
"""Starvation benchmark (issue 21): does one learner's runaway SQL slow everyone else down?

Starts nothing itself: run `rounds serve --port 9311 --db /tmp/bench.sqlite` first (single-user mode),
then `python3 scripts/bench-starvation.py [--port 9311]`. For 0, 4 and 8 concurrent runaway lab queries
(each an endless recursive CTE, stopped by the sandbox at 2 s of CPU), it posts answers to a question
one after another for 10 s and prints their median, p95 and p99 latency, and the ratio of each to the
run with no runaway queries. Lab queries are judged on a bounded queue of their own (JudgeQueue), so
the answer posts should not notice them.
"""
import argparse, json, statistics, threading, time, urllib.error, urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=9311)
parser.add_argument("--seconds", type=float, default=10)
args = parser.parse_args()
BASE = f"http://127.0.0.1:{args.port}"
BOMB = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
ANSWER = ("A business associate agreement is a contract HIPAA requires before a vendor handles PHI "
          "for a covered entity; it limits use and disclosure, requires safeguards and breach reporting.")


def post(path, body):
    request = urllib.request.Request(BASE + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def answers(seconds):
    latencies, end = [], time.time() + seconds
    while time.time() < end:
        started = time.time()
        post("/api/v1/questions/business-associate-agreements-basics/attempts", {"answer": ANSWER, "seconds": 60})
        latencies.append((time.time() - started) * 1000)
    return latencies


def run(runaway):
    stop = time.time() + args.seconds + 2
    statuses = []

    def bomber():
        while time.time() < stop:
            statuses.append(post("/api/v1/labs/sql-payer-mix/run", {"sql": BOMB}))

    threads = [threading.Thread(target=bomber) for _ in range(runaway)]
    for thread in threads:
        thread.start()
    time.sleep(1 if runaway else 0)
    latencies = answers(args.seconds)
    for thread in threads:
        thread.join()
    return sorted(latencies), statuses


def pick(values, q):
    return values[min(len(values) - 1, int(len(values) * q))]


answers(2)  # warm up: the first answer prepares the question's embeddings
baseline = None
for runaway in (0, 4, 8):
    latencies, statuses = run(runaway)
    figures = (statistics.median(latencies), pick(latencies, 0.95), pick(latencies, 0.99))
    baseline = baseline or figures
    ratios = " ".join(f"{name} {value / base:.2f}x" for name, value, base in zip(("median", "p95", "p99"), figures, baseline))
    stopped = sum(1 for status in statuses if status == 400)
    print(f"{runaway} runaway queries: {len(latencies)} answer posts, median {figures[0]:.1f} ms, p95 {figures[1]:.1f} ms, "
          f"p99 {figures[2]:.1f} ms ({ratios}); runaway queries stopped: {stopped} of {len(statuses)}")
