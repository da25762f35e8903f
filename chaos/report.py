"""What `python -m chaos` prints: per experiment the steady state of each phase and each check,
then one line per experiment saying whether its hypothesis held."""

from __future__ import annotations

from chaos.experiments import Result

COLUMNS = ("requests", "success", "p99 ms", "slowest ms", "5xx", "503", "no answer")


def print_result(result: Result) -> None:
    """The phases' steady states and the checks of one experiment."""
    if result.phases:
        print("   " + f"{'phase':<8}" + "".join(f"{c:>12}" for c in COLUMNS))
        for name, each in result.phases.items():
            cells = (
                each.requests,
                f"{each.success_rate:.1%}",
                each.p99_ms,
                each.slowest_ms,
                each.server_errors,
                each.unavailable,
                each.no_answer,
            )
            print("   " + f"{name:<8}" + "".join(f"{cell:>12}" for cell in cells))
    for text, ok in result.checks:
        print(f"   {'ok  ' if ok else 'FAIL'} {text}")
    if result.note:
        print(f"   {result.note.strip()}")
    print(f"   => {_verdict(result)}", flush=True)


def print_summary(results: list[Result]) -> None:
    """One line per experiment."""
    print("\nchaos: summary")
    for result in results:
        print(f"  {result.name:<12} {_verdict(result)}")


def _verdict(result: Result) -> str:
    if result.stopped:
        return "STOPPED (stop button)"
    if result.held is None:
        return result.note or "skipped"
    return "hypothesis held" if result.held else "hypothesis did NOT hold"
