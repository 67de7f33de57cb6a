"""Reads wrk's --latency output and prints: req/s, p50 (ms), p99 (ms), requests, errors
(non-2xx answers plus socket errors), tab-separated. Shared by serve.sh and share.sh:

    python3 benches/wrk_summary.py WRK_OUTPUT
"""
import re
import sys

text = open(sys.argv[1]).read()


def unit(value):
    number, suffix = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[suffix]


rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = unit(re.search(r"^\s*50%\s+(\S+)", text, re.M).group(1))
p99 = unit(re.search(r"^\s*99%\s+(\S+)", text, re.M).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
print("\t".join(map(str, [rps, p50, p99, total, errors])))
