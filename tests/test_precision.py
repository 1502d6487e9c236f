"""The number format by hardware (hotdog/precision.py), with the device's capability mocked."""

import pytest
import torch

from hotdog import precision

CPU, GPU = torch.device("cpu"), torch.device("cuda")


def on(monkeypatch, capability=None, cpu_bf16=False):
    """Pretend a GPU of ``capability`` (major, minor) and a CPU with or without native bfloat16."""
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: "Tesla T4")
    monkeypatch.setattr(torch.ops.mkldnn, "_is_mkldnn_bf16_supported", lambda: cpu_bf16)


@pytest.mark.parametrize("capability, dtype, scaled", [((9, 0), torch.bfloat16, False), ((8, 0), torch.bfloat16, False),
                                                       ((7, 5), torch.float16, True), ((7, 0), torch.float16, True),
                                                       ((6, 0), torch.float16, True)])
def test_auto_on_a_gpu_is_bf16_from_ampere_on_and_fp16_with_a_scaler_before(monkeypatch, capability, dtype, scaled):
    on(monkeypatch, capability)
    chosen = precision.choose("auto", GPU)
    assert (chosen.dtype, chosen.scaled) == (dtype, scaled)


def test_auto_on_a_cpu_is_bf16_only_where_it_is_native(monkeypatch):
    on(monkeypatch, cpu_bf16=True)
    assert precision.choose("auto", CPU).dtype is torch.bfloat16
    on(monkeypatch, cpu_bf16=False)
    assert precision.choose("auto", CPU).dtype is None and precision.choose("auto", CPU).name == "float32"


def test_emulated_bf16_warns_and_names_auto(monkeypatch):
    on(monkeypatch, (7, 5))
    with pytest.warns(UserWarning, match="Tesla T4, compute capability 7.5.*use --precision auto, which picks float16"):
        assert precision.choose("bf16", GPU).dtype is torch.bfloat16
    on(monkeypatch, cpu_bf16=False)
    with pytest.warns(UserWarning, match="CPU has no native bfloat16.*picks float32"):
        precision.choose("bf16", CPU)


def test_fp32_is_plain_everywhere_and_fp16_is_for_gpus_only(monkeypatch):
    on(monkeypatch, (9, 0), cpu_bf16=True)
    assert precision.choose("fp32", GPU) == precision.choose("fp32", CPU) == precision.Precision(None)
    assert precision.choose("fp16", GPU).scaled and precision.choose("fp16", GPU).recorded == "torch.float16"
    with pytest.raises(ValueError, match="fp16 .* is for CUDA GPUs.*--precision auto"):
        precision.choose("fp16", CPU)
    with pytest.raises(ValueError, match="precision must be one of auto, fp32, bf16, fp16, not 'half'"):
        precision.choose("half", CPU)
    assert precision.choose("fp32", CPU).scaler(CPU) is None


def test_a_record_says_what_was_computed_in(monkeypatch):
    from hotdog.train import TrainConfig, train
    from tests.test_train import fake_images

    on(monkeypatch, cpu_bf16=False)
    _, history = train("authentic", {"authentic": fake_images(8, 0)}, TrainConfig(batch_size=8, authentic_epochs=1),
                       progress=False)
    assert history.config["precision"] == "auto" and history.config["computed_in"] == "float32"
