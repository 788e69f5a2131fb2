"""Baseline for the OVS parse benchmark: Open vSwitch's own Python flow parser (ovs.flow, Debian
python3-openvswitch) on an `ovs-ofctl dump-flows --no-stats` file, one OFPFlow(line) per flow.

    python3 scripts/bench/ovsFlowParse.py FILE [--runs 3]
    python3 scripts/bench/ovsFlowParse.py FILE --serve    (one timed run per stdin line)

Only the parsing loop is timed (interpreter start-up and the file read are not). A flow the parser
rejects still counts as work done; how many were rejected is reported. Prints JSON: one object in
batch mode; in serve mode a header object, then one object per run.
"""
import argparse
import json
import sys
import time


def one_run(OFPFlow, lines):
    ok = errors = 0
    first_error = None
    t0 = time.perf_counter()
    for line in lines:
        try:
            OFPFlow(line)
            ok += 1
        except Exception as e:  # the parser raises several types; all mean "rejected"
            errors += 1
            if first_error is None:
                first_error = "%s: %s" % (type(e).__name__, str(e)[:200])
    return time.perf_counter() - t0, ok, errors, first_error


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--serve", action="store_true")
    args = ap.parse_args()
    try:
        from ovs.flow.ofp import OFPFlow
    except ImportError as e:
        print(json.dumps({"error": "cannot import ovs.flow.ofp (python3-openvswitch): %s" % e}), flush=True)
        return 0
    with open(args.file, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines()
                 if l.strip() and not l.startswith(("NXST_FLOW", "OFPST_FLOW"))]
    header = {"python": sys.version.split()[0], "flows": len(lines)}
    if args.serve:
        print(json.dumps(header), flush=True)
        for _ in sys.stdin:
            dt, ok, errors, first_error = one_run(OFPFlow, lines)
            print(json.dumps({"s": dt, "ok": ok, "errors": errors, "firstError": first_error}), flush=True)
        return 0
    runs = []
    for _ in range(max(1, args.runs)):
        dt, ok, errors, first_error = one_run(OFPFlow, lines)
        runs.append(dt)
    header.update({"ok": ok, "errors": errors, "firstError": first_error, "runsS": runs, "bestS": min(runs)})
    print(json.dumps(header))
    return 0


if __name__ == "__main__":
    sys.exit(main())
