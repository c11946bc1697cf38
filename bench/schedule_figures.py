"""Schedule figures from an execution log, for bench/cluster-run.

    python3 bench/schedule_figures.py EXECUTIONS_CSV FROM_MS TO_MS [--kill-ms MS --orphans FILE]
                                      [--runs-by FILE]

EXECUTIONS_CSV: id,target_id,trigger,started_at,finished_at,outcome,every_seconds (epoch ms, no header), all
executions of the catalog. Prints key=value lines about the executions that started in [FROM_MS, TO_MS):

- lateness of each scheduled run = its start minus its due time, where due = max(previous start + period,
  previous end) of the same target (docs/SCHEDULING.md: "next due = max(start + every, end)");
- double runs: a target that started again sooner than a period after its previous start (less 1 s for the
  servers' clocks, which are not the database's), or while its previous run had not ended;
- with --kill-ms and --orphans (target ids held by the killed server): when each orphan ran again, and the
  lateness of that run, apart from the others';
- with --runs-by (lines "SERVER EXECUTION_ID" from the servers' logs): runs per server.
"""
import csv
import sys
from collections import defaultdict


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


def fmt(ms):
    return "-" if ms is None else str(int(ms))


def main(argv):
    path, t0, t1 = argv[1], int(argv[2]), int(argv[3])
    opts = dict(zip(argv[4::2], argv[5::2]))
    kill = int(opts["--kill-ms"]) if "--kill-ms" in opts else None
    orphans = set()
    if "--orphans" in opts:
        orphans = {int(l) for l in open(opts["--orphans"]) if l.strip()}
    by_target = defaultdict(list)
    for row in csv.reader(open(path)):
        if not row:
            continue
        eid, target, trigger, started, finished, outcome, every = row
        by_target[int(target)].append((int(started), int(finished) if finished else None, trigger, outcome,
                                       int(every) * 1000, int(eid)))
    late, late_orphans, late_others = [], [], []
    outcomes = defaultdict(int)
    doubles, overlaps, runs = 0, 0, 0
    examples = []
    resumed = {}
    in_window = set()
    for target, execs in by_target.items():
        execs.sort()
        for i, (start, end, trigger, outcome, period, eid) in enumerate(execs):
            if not t0 <= start < t1:
                continue
            runs += 1
            in_window.add(eid)
            outcomes[outcome] += 1
            if kill is not None and target in orphans and start >= kill and target not in resumed:
                resumed[target] = start
            if i == 0:
                continue
            pstart, pend, _, _, pperiod, peid = execs[i - 1]
            if start - pstart < period - 1000:
                doubles += 1
                if len(examples) < 3:
                    examples.append("target %d: executions %d and %d %d ms apart" % (target, peid, eid, start - pstart))
            if pend is None or start < pend:
                overlaps += 1
            if trigger != "SCHEDULE" or pend is None:
                continue
            lateness = start - max(pstart + period, pend)
            late.append(lateness)
            if kill is not None and start >= kill:
                (late_orphans if target in orphans else late_others).append(lateness)
    span = (t1 - t0) / 1000.0
    print("runs=%d" % runs)
    print("runs_per_s=%.1f" % (runs / span if span > 0 else 0))
    print("outcomes=%s" % ",".join("%s:%d" % kv for kv in sorted(outcomes.items())))
    print("targets_run=%d" % sum(1 for t, e in by_target.items() if any(t0 <= x[0] < t1 for x in e)))
    print("late_n=%d" % len(late))
    for p in (50, 99):
        print("late_p%d=%s" % (p, fmt(pct(late, p))))
    print("late_max=%s" % fmt(max(late) if late else None))
    print("doubles=%d" % doubles)
    print("overlaps=%d" % overlaps)
    print("double_examples=%s" % "; ".join(examples))
    if kill is not None:
        waits = [resumed[t] - kill for t in resumed]
        print("orphans=%d" % len(orphans))
        print("orphans_resumed=%d" % len(resumed))
        print("resume_first=%s" % fmt(min(waits) if waits else None))
        print("resume_p50=%s" % fmt(pct(waits, 50)))
        print("resume_all=%s" % fmt(max(waits) if waits else None))
        print("orphan_late_p50=%s" % fmt(pct(late_orphans, 50)))
        print("orphan_late_p99=%s" % fmt(pct(late_orphans, 99)))
        print("orphan_late_max=%s" % fmt(max(late_orphans) if late_orphans else None))
        print("other_late_p99=%s" % fmt(pct(late_others, 99)))
        print("other_late_max=%s" % fmt(max(late_others) if late_others else None))
    if "--runs-by" in opts:
        per = defaultdict(int)
        for line in open(opts["--runs-by"]):
            parts = line.split()
            if len(parts) == 2 and int(parts[1]) in in_window:
                per[parts[0]] += 1
        print("runs_by_server=%s" % ",".join("%s:%d" % kv for kv in sorted(per.items())))


if __name__ == "__main__":
    main(sys.argv)
