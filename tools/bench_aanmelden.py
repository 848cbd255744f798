"""The load client of tools/bench_aanmelden.sh: a signed-in reader alone, then the
same reader while 64 anonymous clients (each from its own loopback address,
127.0.1.1 ... 127.0.1.64) hammer POST /api/v1/login with wrong passwords: first
all for the real user's name, then each for a name of its own (no shared
user-name back-off, so more passwords are hashed). The clients run in their own
process, so Python's interpreter lock does not delay the reader's own timing.
Standard library only.
usage: python3 tools/bench_aanmelden.py HOST:PORT SECONDS"""

import http.client
import json
import multiprocessing
import statistics
import sys
import threading
import time
from collections import Counter

HOST, PORT = sys.argv[1].rsplit(":", 1)
PORT = int(PORT)
SECONDS = float(sys.argv[2])
MAX_READS = 5000
HAMMERS = 64


def connect(source=None):
    return http.client.HTTPConnection(
        HOST, PORT, timeout=30, source_address=(source, 0) if source else None
    )


def login(conn, name, password):
    body = json.dumps({"gebruikersnaam": name, "wachtwoord": password})
    conn.request("POST", "/api/v1/login", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    return response.status, data


def reads(token, stop):
    """Sequential signed-in reads until `stop` is set or the bounds are reached."""
    conn = connect()
    times = []
    statuses = Counter()
    end = time.monotonic() + SECONDS
    while time.monotonic() < end and len(times) < MAX_READS and not stop.is_set():
        started = time.perf_counter()
        conn.request("GET", "/api/v1/casussen", headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        statuses[response.status] += 1
    conn.close()
    return times, statuses


def hammer(index, stop, counts, lock, own_names):
    source = f"127.0.1.{index + 1}"
    name = f"gast.{index}" if own_names else "medewerker.amersfoort"
    conn = connect(source)
    local = Counter()
    while not stop.is_set():
        try:
            status, _ = login(conn, name, f"geraden-{index}-{local.total()}")
            local[status] += 1
        except (OSError, http.client.HTTPException):
            local["verbinding"] += 1
            conn.close()
            conn = connect(source)
    conn.close()
    with lock:
        counts.update(local)


def hammers(stop, results, own_names):
    """The 64 sign-in clients, as threads of this (separate) process."""
    counts = Counter()
    lock = threading.Lock()
    threads = [
        threading.Thread(target=hammer, args=(i, stop, counts, lock, own_names))
        for i in range(HAMMERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(counts)


def summary(label, times):
    times = sorted(times)
    p90 = times[int(len(times) * 0.9) - 1] if times else float("nan")
    median = statistics.median(times)
    print(f"{label}: {len(times)} reads, median {median:.2f} ms, p90 {p90:.2f} ms")
    return median


def main():
    conn = connect()
    status, data = login(conn, "medewerker.amersfoort", "demo")
    conn.close()
    if status != 200:
        sys.exit(f"sign-in failed: {status} {data[:200]!r}")
    token = json.loads(data)["token"]
    reads(token, threading.Event())  # warm-up, same bounds
    alone, statuses = reads(token, threading.Event())
    base = summary("alone", alone)

    for own_names, label in [(False, "one name"), (True, "own names")]:
        stop = multiprocessing.Event()
        results = multiprocessing.Queue()
        flood = multiprocessing.Process(target=hammers, args=(stop, results, own_names))
        flood.start()
        time.sleep(1)  # let the flood begin
        loaded, load_statuses = reads(token, threading.Event())
        stop.set()
        counts = results.get(timeout=60)
        flood.join(timeout=60)
        under = summary(f"with {HAMMERS} sign-in clients, {label}", loaded)
        print(f"  ratio of medians: {under / base:.2f}x (goal: <= 2x)")
        print(f"  read statuses: {dict(load_statuses)} (alone: {dict(statuses)})")
        print(f"  sign-in answers to the clients: {dict(sorted(counts.items(), key=str))}")
        time.sleep(2)  # let the last refusals drain

if __name__ == "__main__":
    main()
