"""The batch augmentation (hotdog/augment.py) against torchvision's per-image policy it replaces."""

import math

import pytest
import torch
from scipy import stats
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as TF

from hotdog import augment

POLICY = augment.CropFlipJitter()
# what the recipes used before, one image at a time (torchvision.transforms.v2)
TORCHVISION = v2.Compose([v2.RandomResizedCrop(128, scale=(0.35, 1.0), antialias=True), v2.RandomHorizontalFlip(),
                          v2.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.03)])


def images(n, seed=0):
    return torch.randint(0, 256, (n, 3, 128, 128), dtype=torch.uint8, generator=torch.Generator().manual_seed(seed))


def torchvision_one(image, p, i):
    """Image ``i`` of the batch through torchvision's functions, with the batch's parameters, colours in our order."""
    out = TF.resized_crop(image.float() / 255, int(p.top[i]), int(p.left[i]), int(p.height[i]), int(p.width[i]),
                          [128, 128], antialias=True)
    out = TF.horizontal_flip(out) if p.flip[i] else out
    out = TF.adjust_contrast(TF.adjust_brightness(out, float(p.brightness[i])), float(p.contrast[i]))
    return TF.adjust_hue(TF.adjust_saturation(out, float(p.saturation[i])), float(p.hue[i]))


def test_a_batch_is_what_torchvision_makes_of_each_image_with_the_same_parameters():
    batch = images(12)
    params = POLICY.draw(12, torch.Generator().manual_seed(1))
    ours = POLICY(batch, params)
    theirs = torch.stack([torchvision_one(batch[i], params, i) for i in range(12)])
    assert ours.shape == (12, 3, 128, 128) and 0 <= ours.min() and ours.max() <= 1
    # inside, the same to float rounding; at a crop's edge grid_sample reads half a pixel of what lies beyond it
    assert (ours - theirs)[..., 2:-2, 2:-2].abs().max() < 1e-3
    assert (ours - theirs).abs().mean() < 5e-3


def test_the_colour_changes_match_torchvisions_functions():
    batch = images(6).float() / 255
    params = POLICY.draw(6, torch.Generator().manual_seed(2))
    theirs = torch.stack([TF.adjust_hue(TF.adjust_saturation(TF.adjust_contrast(TF.adjust_brightness(
        batch[i], float(params.brightness[i])), float(params.contrast[i])), float(params.saturation[i])),
        float(params.hue[i])) for i in range(6)])
    assert torch.allclose(augment.jitter(batch.clone(), params), theirs, atol=1e-5)
    grey = torch.full((1, 3, 4, 4), 0.5)
    assert torch.allclose(augment.shift_hue(grey, torch.tensor([0.03])), grey)  # no hue to turn


def draws_from_torchvision(n, seed=0):
    """``n`` torchvision draws: area share, aspect ratio, top, left, flip and the four colour factors."""
    torch.manual_seed(seed)
    crop = v2.RandomResizedCrop(128, scale=(0.35, 1.0))
    jitter = v2.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.03)
    rows = []
    for _ in range(n):
        top, left, h, w = crop.make_params([torch.empty(3, 128, 128)]).values() if hasattr(crop, "make_params") \
            else v2.RandomResizedCrop.get_params(torch.empty(3, 128, 128), [0.35, 1.0], [3 / 4, 4 / 3])
        colour = jitter.make_params([]) if hasattr(jitter, "make_params") else jitter._get_params([])
        rows.append((h * w / 128 ** 2, w / h, top, left, float(torch.rand(()) < 0.5), colour["brightness_factor"],
                     colour["contrast_factor"], colour["saturation_factor"], colour["hue_factor"]))
    return list(zip(*rows))


def test_the_parameters_are_drawn_as_torchvision_draws_them():
    """Two-sample Kolmogorov-Smirnov statistics between 4,000 of our draws and 4,000 of torchvision's: each
    within what two samples of one distribution differ by (at this size, about 0.03 at the 95th percentile)."""
    p = POLICY.draw(4000, torch.Generator().manual_seed(3))
    ours = [(p.height * p.width / 128 ** 2).tolist(), (p.width / p.height).tolist(), p.top.tolist(), p.left.tolist(),
            p.flip.float().tolist(), p.brightness.tolist(), p.contrast.tolist(), p.saturation.tolist(), p.hue.tolist()]
    theirs = draws_from_torchvision(4000)
    names = ["area", "aspect", "top", "left", "flip", "brightness", "contrast", "saturation", "hue"]
    for name, a, b in zip(names, ours, theirs):
        assert stats.ks_2samp(a, b).statistic < 0.05, name
    assert 0.35 * 128 ** 2 - 128 <= (p.height * p.width).min() and (p.height <= 128).all() and (p.width <= 128).all()
    assert ((p.top + p.height) <= 128).all() and ((p.left + p.width) <= 128).all()
    assert p.brightness.min() >= 0.7 and p.brightness.max() <= 1.3 and p.hue.abs().max() <= 0.03


def test_a_seed_draws_the_same_and_another_seed_other_parameters():
    a, b = (POLICY.draw(64, torch.Generator().manual_seed(7)) for _ in range(2))
    c = POLICY.draw(64, torch.Generator().manual_seed(8))
    assert all(torch.equal(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)
    assert not torch.equal(a.brightness, c.brightness)


def test_a_box_that_never_fits_falls_back_to_the_whole_image_as_torchvision_does():
    top, left, h, w = augment.crop_boxes(5, 128, 128, (2.0, 3.0), (3 / 4, 4 / 3), torch.Generator().manual_seed(0))
    assert h.tolist() == w.tolist() == [128] * 5 and top.tolist() == left.tolist() == [0] * 5
    assert augment._fallback(100, 300, (3 / 4, 4 / 3)) == (133, 100)  # too wide: narrowed to 4:3


def test_a_flipped_full_crop_is_the_mirror_image():
    batch = images(2)
    params = augment.Params(torch.zeros(2, dtype=torch.long), torch.zeros(2, dtype=torch.long),
                            torch.full((2,), 128), torch.full((2,), 128), torch.tensor([True, False]),
                            *(torch.ones(2),) * 3, torch.zeros(2))
    out = augment.crop_and_flip(batch.float(), params, 128)
    assert torch.allclose(out[0], batch[0].float().flip(-1), atol=1e-3)
    assert torch.allclose(out[1], batch[1].float(), atol=1e-3)
    assert not math.isnan(out.sum().item())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_the_gpu_draws_and_augments_as_the_cpu_does():
    batch = images(8)
    params = POLICY.draw(8, torch.Generator().manual_seed(4))
    on_gpu = POLICY(batch.cuda(), params.to("cuda")).cpu()
    assert (on_gpu - POLICY(batch, params)).abs().max() < 1e-3
