"""The worker's batch size: a backlog goes in batches of about INTAKE_BATCH_SECONDS."""

from anliegen.intake.worker import Size


def test_a_slow_full_batch_makes_the_next_one_fit_the_time():
    size = Size(200, 0.25)
    size.took(200, 1.0)  # 200 items in a second: 50 fit in a quarter
    assert size.limit == 50


def test_the_size_grows_back_at_most_twice_per_batch_and_never_past_the_most():
    size = Size(200, 0.25)
    size.took(200, 5.0)
    assert size.limit == 10
    size.took(10, 0.01)
    assert size.limit == 20
    for _ in range(5):
        size.took(size.limit, 0.01)
    assert size.limit == 200


def test_a_short_batch_says_nothing_and_no_budget_keeps_the_most():
    size = Size(200, 0.25)
    size.took(3, 1.0)  # fewer than asked for: nothing more was waiting
    assert size.limit == 200
    unbounded = Size(200, 0)
    unbounded.took(200, 10.0)
    assert unbounded.limit == 200
