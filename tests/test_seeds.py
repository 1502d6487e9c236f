"""Every seed derivation in one place (hotdog/seeds.py), and the frozen ones still what the studies on record used."""

import numpy as np

from hotdog import seeds


def test_derive_is_a_seed_sequence_hash_of_its_keys():
    assert seeds.derive(0, 7) == int(np.random.SeedSequence([0, 7]).generate_state(1, dtype=np.uint32)[0])
    assert seeds.derive(0, 7) != seeds.derive(7, 0) and seeds.derive(1, "camera") != seeds.derive(1, "lights")


def test_generator_streams_are_named_and_reproducible():
    a, b = seeds.generator(3, "camera").random(4), seeds.generator(3, "camera").random(4)
    assert np.array_equal(a, b) and not np.array_equal(a, seeds.generator(3, "lights").random(4))


def test_the_training_streams_keep_the_arithmetic_the_recorded_studies_were_trained_with():
    assert seeds.epoch_seed(2, 1, 5) == 2 * 1_000_003 + 1 * 1_009 + 5
    assert seeds.epoch_seed(2, 1, 5, seeds.MIX_STREAM) == 2 * 1_000_003 + 1 * 1_009 + 5 + 500_009
    assert seeds.carve_seed(3) == 10_010
