"""Router cost estimates: arithmetic against the documented price table."""

import pytest

from app.core.analysis import DEFAULT_PRICES, estimate, router_advice


def _by_router(results):
    return {r.router: r for r in results}


def test_eventbridge_bills_each_64k_chunk():
    eb = _by_router(estimate(40, 100 * 1024))["eventbridge"]
    assert eb.breakdown["chunks_per_event"] == 2
    # 40 events/s * 2 chunks * 3600 s * 730 h / 1e6 * $1.00
    assert eb.monthly_usd == pytest.approx(210.24)
    assert eb.ordering == "none"


def test_kinesis_shards_from_throughput():
    k = _by_router(estimate(40, 100 * 1024))["kinesis"]
    # 40 * 100 KiB = 3.9 MiB/s -> 4 shards; each record is 4 PUT units of 25 KiB
    assert k.breakdown["shards"] == 4 and k.breakdown["put_units_per_record"] == 4
    shard_usd = 4 * 0.015 * 730
    put_usd = 40 * 4 * 3600 * 730 / 1e6 * 0.014
    assert k.monthly_usd == pytest.approx(round(shard_usd + put_usd, 2))
    assert k.ordering == "per key"


def test_kinesis_shards_from_records_per_second():
    k = _by_router(estimate(2500, 200))["kinesis"]
    assert k.breakdown["shards_for_records"] == 3 and k.breakdown["shards"] == 3


def test_sns_and_sqs_prices():
    results = _by_router(estimate(10, 1000))
    month = 10 * 3600 * 730
    assert results["sns"].monthly_usd == pytest.approx(round(month / 1e6 * 0.50, 2))
    assert results["sqs"].monthly_usd == pytest.approx(round(3 * month / 1e6 * 0.40, 2))


def test_mq_is_not_estimated_and_kafka_is_an_estimate():
    results = _by_router(estimate(1, 1))
    assert results["mq"].monthly_usd is None and results["mq"].breakdown["estimated"] is False
    assert results["kafka"].monthly_usd >= 3 * 0.21 * 730


def test_oversized_events_are_marked():
    assert _by_router(estimate(1, 300 * 1024))["eventbridge"].breakdown["over_size_limit"]


def test_custom_prices_override_defaults():
    prices = {"eventbridge": {**DEFAULT_PRICES["eventbridge"], "usd_per_million_events": 2.0}}
    assert _by_router(estimate(40, 100 * 1024, prices))["eventbridge"].monthly_usd == pytest.approx(
        420.48
    )


def test_zero_traffic_costs_only_fixed_capacity():
    results = _by_router(estimate(0, 0))
    assert results["eventbridge"].monthly_usd == 0
    assert results["kinesis"].monthly_usd == pytest.approx(0.015 * 730)


@pytest.mark.parametrize(
    ("eps", "size"), [(-1, 10), (1, -10), (float("nan"), 1), ("1", 1), (1, 1.5)]
)
def test_invalid_inputs_raise_clear_errors(eps, size):
    with pytest.raises(ValueError, match=r"events_per_second|payload_bytes"):
        estimate(eps, size)


def test_router_advice():
    advice = " ".join(router_advice("sns", "delta", needs_ordering=True))
    assert "does not keep order" in advice and "gap detection" in advice
    assert any("per key" in a for a in router_advice("kinesis", "full", needs_ordering=False))
    with pytest.raises(ValueError):
        router_advice("carrier-pigeon", "full", True)


def test_results_are_json_ready():
    import json

    for r in estimate(5, 2048):
        assert json.loads(json.dumps(r.to_dict()))["router"] == r.router
