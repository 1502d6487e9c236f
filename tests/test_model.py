import pytest
import torch

from hotdog.model import BinaryClassifier, ResBlock, count_parameters, layer_shapes


def test_shapes_walk_through_the_network():
    shapes = dict((i, s) for i, (_, s) in enumerate(layer_shapes(BinaryClassifier())))
    names = [n for n, _ in layer_shapes(BinaryClassifier())]
    assert shapes[1] == (1, 32, 122, 122)  # Conv2d(3, 32, 7)
    assert shapes[7] == (1, 64, 29, 29)  # after the first MaxPool
    assert shapes[15] == (1, 128, 2, 2)  # AvgPool2d(3, 2)
    assert names[-2:] == ["flatten", "Linear + Sigmoid"]
    assert shapes[16] == (1, 512)


def test_output_is_one_probability_per_image():
    model = BinaryClassifier().eval()
    for n in (1, 5):
        out = model(torch.randn(n, 3, 128, 128))
        assert out.shape == (n,) and ((0 <= out) & (out <= 1)).all()


def test_the_same_resblock_is_applied_twice_at_each_width():
    model = BinaryClassifier()
    blocks = [m for m in model.net if isinstance(m, ResBlock)]
    assert len(blocks) == 6 and len({id(b) for b in blocks}) == 3
    assert model.net[2] is model.net[3] is model.res32
    # weights counted once: 3 shared blocks, not 6
    assert count_parameters(model) == 478_273


def test_only_128_pixel_squares_fit_the_linear_layer():
    with pytest.raises(RuntimeError):
        BinaryClassifier()(torch.randn(2, 3, 128, 170))


def test_resblock_keeps_shape_and_is_nonnegative():
    out = ResBlock(8, 8)(torch.randn(2, 8, 10, 10))
    assert out.shape == (2, 8, 10, 10) and (out >= 0).all()
