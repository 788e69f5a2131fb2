"""Baseline for the OVS parse benchmark: Open vSwitch's own Python flow parser (ovs.flow, Debian
python3-openvswitch) on an `ovs-ofctl dump-flows --no-stats` file, one OFPFlow(line) per flow.

    python3 scripts/bench/ovsFlowParse.py FILE [--runs 3] [--budget 60]

Only the parsing loop is timed (interpreter start-up and the file read are not). A flow the parser
rejects still counts as work done; how many were rejected is reported. Stops early after --budget
seconds of parsing, having done at least one run. Prints one JSON object.
"""
import argparse
import json
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--budget", type=float, default=60.0)
    args = ap.parse_args()
    try:
        from ovs.flow.ofp import OFPFlow
    except ImportError as e:
        print(json.dumps({"error": "cannot import ovs.flow.ofp (python3-openvswitch): %s" % e}))
        return 0
    with open(args.file, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines()
                 if l.strip() and not l.startswith(("NXST_FLOW", "OFPST_FLOW"))]
    runs = []
    ok = errors = 0
    first_error = None
    spent = 0.0
    for r in range(max(1, args.runs)):
        ok = errors = 0
        t0 = time.perf_counter()
        for line in lines:
            try:
                OFPFlow(line)
                ok += 1
            except Exception as e:  # the parser raises several types; all mean "rejected"
                errors += 1
                if first_error is None:
                    first_error = "%s: %s" % (type(e).__name__, str(e)[:200])
        dt = time.perf_counter() - t0
        runs.append(dt)
        spent += dt
        if spent > args.budget:
            break
    print(json.dumps({
        "python": sys.version.split()[0],
        "flows": len(lines),
        "ok": ok,
        "errors": errors,
        "firstError": first_error,
        "runsS": runs,
        "bestS": min(runs),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
