"""``python -m hotdog`` (or ``hotdog``): each step of the article from the command line.

    python -m hotdog run                 # the main job: render, train three ways, compare
    python -m hotdog download            # fetch the 998 real photos into the HOTDOG_AUTHENTIC folder
    python -m hotdog render --images 200 # render synthetic images into the HOTDOG_SYNTHETIC folder
    python -m hotdog train both          # train the article's network: authentic | synthetic | both
    python -m hotdog study NAME          # several seeds, each a JSON record, and the table over them
    python -m hotdog compare [NAME ...]  # the tables over seeds, from the records
    python -m hotdog search [TRIAL ...]  # the recipe search, on validation photos only
    python -m hotdog transfer NAME       # the renderer's compass: renders alone, scored on split 0's 799 training photos
    python -m hotdog adapt [TRIAL ...]   # renders plus unlabelled photos: the adaptation trials, on validation photos only
    python -m hotdog evaluate CHECKPOINT [FOLDER]  # accuracy of a model on a folder of photos
    python -m hotdog predict PHOTO [PHOTO ...]     # "Hotdog!" or "Not hotdog!"

Every command takes the same defaults as the notebooks: sizes from HOTDOG_SIZE (tiny | small |
article, default small; see hotdog/settings.py), folders from HOTDOG_AUTHENTIC, HOTDOG_SYNTHETIC and
HOTDOG_RESULTS (see hotdog/paths.py). `python -m hotdog COMMAND --help` explains each command.
The main job, a study's seed and `train` are one run each (hotdog/experiment.py), so --recipe and
--precision mean the same in all three.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hotdog import modes
from hotdog.arguments import COUNT, LABELS, SEED, SIZES
from hotdog.arguments import name as NAME
from hotdog.provenance import DamagedRecord
from hotdog.study_commands import compare_command, recipe_from, render_config, sizes_from, study_command

BACKGROUNDS_HELP = ("a folder of photos (jpg/png) to use as the background of half the renders, e.g. the "
                    "article's 19 (python -m hotdog download --article: data/article/backgrounds)")


# --------------------------------------------------------------------------- the commands


def _run(args) -> None:
    from hotdog.main_job import run

    run(size=args.size, seed=args.seed, render=not args.no_render, n_jobs=args.jobs, recipe=args.recipe,
        precision=args.precision)


def _download(args) -> None:
    if args.article:
        from hotdog.article_assets import download_article_assets

        print(f"the article's meshes and backgrounds in {download_article_assets(args.dest)}")
        return
    from hotdog.download import download_authentic

    print(f"photos in {download_authentic(args.dest)}")


def _render(args) -> None:
    from hotdog import paths, settings
    from hotdog.render import render_dataset

    n = args.images or settings.sizes(args.size).n_synthetic
    config = render_config(args, n, args.seed, samples=args.samples)
    jobs = args.jobs or settings.sizes(args.size).render_jobs
    rendered = render_dataset(args.dest or paths.synthetic_dir(), config, n_jobs=jobs, blender=args.blender)
    print({k: v for k, v in rendered.items() if not isinstance(v, (list, dict))})
    if rendered["failed"]:
        print(f"{rendered['n_failed']} records failed and stay missing (their mesh files cannot be read): "
              + ", ".join(rendered["failed"]))


def _train(args) -> None:
    from hotdog import paths, report
    from hotdog.experiment import run_once

    sizes = sizes_from(args)
    out = Path(args.out) if args.out else paths.results_dir(sizes.name) / "checkpoints"
    finished = modes.checkpoint(out, args.mode)  # (a run cut off leaves <mode>.resume.pt and resumes instead)
    if finished.exists() and not modes.resume(out, args.mode).exists() and not args.force:
        raise ValueError(f"{finished} is a finished model; training {args.mode} again would replace it. Pass --force "
                         f"to replace it, or --out NEW_FOLDER to keep it")
    record = run_once(sizes, args.seed, checkpoints=out, record_path=out / f"train-{args.mode}.json",
                      synthetic_root=Path(args.synthetic) if args.synthetic else paths.synthetic_dir(),
                      recipe=recipe_from(args), precision=args.precision, trained=(args.mode,),
                      labels=args.labels)
    print(report.format_table(record.results))
    print(f"checkpoints and record in {out}")


def _trials(args, module, title) -> None:
    """Run the named trials of ``module`` (:mod:`hotdog.search` or :mod:`hotdog.adapt_search`; all by default)
    that are not finished, unless ``--table``; then print its table."""
    from hotdog import paths

    names = args.trials or list(module.TRIALS)
    unknown = [n for n in names if n not in module.TRIALS]
    if unknown:
        raise ValueError(f"no trial named {', '.join(unknown)}; the trials are {', '.join(module.TRIALS)}")
    if not args.table:
        synthetic = Path(args.synthetic) if args.synthetic else paths.renders_dir(5000)
        print(f"trials train at the article's sizes (5,000 renders in {synthetic}, 10 + 20 and 30 epochs before the "
              f"recipe's factors) whatever --size or HOTDOG_SIZE say, so that every trial is comparable")
        for name in names:
            print(f"== {title(name)}")
            module.run_trial(name, synthetic_root=synthetic, precision=args.precision)
    damaged = []
    print(module.table(module.load(damaged=damaged)))
    if damaged:
        raise DamagedRecord("left out, damaged: " + "; ".join(damaged))


def _search(args) -> None:
    from hotdog import search

    _trials(args, search, lambda name: f"trial {name}: {search.TRIALS[name].question}")


def _adapt(args) -> None:
    from hotdog import adapt_search

    _trials(args, adapt_search, lambda name: f"adaptation trial {name}")


def _transfer(args) -> None:
    from hotdog import transfer
    from hotdog.render import RenderConfig

    if not args.table:
        if not args.name:
            raise ValueError("transfer needs a NAME for the renderer variant (its record: results/transfer/NAME.json)")
        config = render_config(args, args.images, args.seed)
        renders = _transfer_renders(args)
        if renders is not None:  # another variant's renders, as they were made
            from hotdog.render import folder_config

            config = RenderConfig.from_saved(folder_config(renders, config) or config.as_dict())
        record = transfer.run(args.name, config, seeds=tuple(args.seeds), n_jobs=args.jobs, precision=args.precision,
                              overrides=transfer.recipe_changes(args.train), renders=renders,
                              force=args.force)
        print(f"{args.name}: " + ", ".join(f"{k} {v['mean']:.3f}" for k, v in record["summary"].items()))
    damaged = []
    print(transfer.table(transfer.load(damaged=damaged)))
    if damaged:
        raise DamagedRecord("left out, damaged: " + "; ".join(damaged))


def _transfer_renders(args) -> Path | None:
    """A training variant (``--train``) trains on the renders of the variant named by ``--renders``, which exist."""
    from hotdog import paths

    if not args.renders:
        return None
    folder = paths.transfer_renders(args.renders)
    if not (folder / "manifest.jsonl").is_file():
        made = sorted(p.name.removeprefix("transfer_") for p in paths.data_dir().glob("transfer_*") if p.is_dir())
        raise FileNotFoundError(f"--renders {args.renders}: {folder} holds no renders; name a variant rendered before "
                                f"({', '.join(made) or 'none yet'}), or drop --renders to render this one's own")
    return folder


def _evaluate(args) -> None:
    from hotdog import calibration, data, metrics, report
    from hotdog.train import load_model

    model = load_model(args.checkpoint)  # a missing or foreign checkpoint is named before any photo is decoded
    if args.folder and Path(args.folder).is_file():
        raise ValueError(f"{args.folder} is a file; evaluate takes a folder with hotdog/ and not_hotdog/ in it. For "
                         f"one photo: python -m hotdog predict --checkpoint {args.checkpoint} {args.folder}")
    folder = data.HotdogImageFolder(args.folder) if args.folder else data.authentic()
    if not args.folder:
        folder = data.split(folder, seed=args.seed)[1]
        print(f"evaluating on the held-out test photos of split seed {args.seed} ({len(folder)} photos)")
    cached = data.cache(folder)
    probabilities, labels = metrics.predict(model, cached)
    fitted = calibration.for_checkpoint(args.checkpoint)
    if fitted:
        probabilities = calibration.apply(probabilities, fitted)
        print(f"calibrated as its sidecar says (Platt, fitted on {fitted['n']} validation photos): it answers "
              f"hotdog from a raw probability of {calibration.threshold(fitted):.2f}")
    summary = metrics.summarize(probabilities, labels)
    print(f"accuracy {summary['accuracy']:.2%} ({summary['correct']}/{summary['total']}), "
          f"95% interval {report.format_interval(summary['interval95'], separator=' - ')}; confusion (rows true, "
          f"columns predicted; not hotdog, hotdog): {summary['confusion']}")


def _predict(args) -> int:
    from hotdog import data
    from hotdog.seefood import SHIPPED, calibrated_model, predict_files, skipped_files

    model = calibrated_model(args.checkpoint or SHIPPED)  # as SeeFood and evaluate answer
    answers = predict_files(args.photos, model)
    passed_over = skipped_files(args.photos)
    if passed_over:
        print(f"passed over {len(passed_over)} file(s) whose type is not an image type it reads "
              f"({', '.join(sorted(data.IMAGE_EXTENSIONS))}): {', '.join(map(str, passed_over[:10]))}"
              f"{' ...' if len(passed_over) > 10 else ''}; convert them to JPEG or PNG", file=sys.stderr)
    if not answers:
        raise FileNotFoundError(f"no image files in {' '.join(args.photos)}")
    for answer in answers:
        print(f"{answer.path}: {answer.verdict}")
    return 1 if any(a.error for a in answers) else 0


# --------------------------------------------------------------------------- the parser


def _size_option(p, gives: str = "renders, epochs and photos") -> None:
    p.add_argument("--size", choices=SIZES, default=None,
                   help=f"the sizes preset, which gives {gives} (default: $HOTDOG_SIZE, else 'article' on a CUDA GPU "
                        "and 'small' on a CPU; see hotdog/settings.py)")


def _training_options(p) -> None:
    """What every command that trains takes: the recipe and the precision (one run, hotdog/experiment.py)."""
    from hotdog import settings

    p.add_argument("--recipe", choices=sorted(settings.RECIPES), default=None,
                   help="default, in every command: the one the size was made for (tuned at small, the CPU's "
                        "default, and on a CUDA GPU when no size is named; the article's at tiny and at "
                        "--size article). "
                        "article: the article's training; improved: augmentation, mixing, weight decay, "
                        "epochs chosen on validation photos; tuned: the recipe search's choice (AdamW, one-cycle, "
                        "crops, flips and jitter, 100 epochs on photos; see hotdog/settings.py)")
    _precision_option(p)


def _precision_option(p) -> None:
    """One --precision for every command that trains (hotdog/precision.py)."""
    from hotdog.precision import PRECISIONS

    p.add_argument("--precision", choices=PRECISIONS, default="auto",
                   help="auto (default): bf16 where the hardware runs it natively (recent CPUs and GPUs), fp16 with "
                        "a gradient scaler on older GPUs (T4, V100), else fp32; fp32: as the article, bit for bit")


def _jobs_option(p) -> None:
    """One --jobs for every command that renders (a study renders with its size's)."""
    p.add_argument("--jobs", type=COUNT, default=None,
                   help="parallel Blender worker processes (default: the size preset's, 2 at every size)")


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="the main job: render, train authentic/synthetic/both, compare")
    _size_option(p)
    p.add_argument("--seed", type=SEED, default=0, help="seed for rendering, the split, initialisation, batches")
    _jobs_option(p)
    p.add_argument("--no-render", action="store_true", help="use the synthetic images already rendered")
    _training_options(p)
    p.set_defaults(func=_run)


def _add_download(sub) -> None:
    p = sub.add_parser("download", help="fetch the article's 998 real photos and verify their checksums")
    p.add_argument("--dest", default=None,
                   help="folder (default: the HOTDOG_AUTHENTIC setting, or data/article with --article)")
    p.add_argument("--article", action="store_true",
                   help="instead, fetch the article's four .dae hotdog meshes and 19 background photos")
    p.set_defaults(func=_download)


def _add_render(sub, switches) -> None:
    p = sub.add_parser("render", help="render synthetic hotdog / not-hotdog images with Blender")
    p.add_argument("--images", type=COUNT, default=None, help="how many (default: the size preset's)")
    _size_option(p, gives="how many renders")
    p.add_argument("--seed", type=SEED, default=0)
    _jobs_option(p)
    p.add_argument("--samples", type=COUNT, default=2, help="Cycles samples per pixel (the denoiser cleans up after)")
    _renderer_options(p, switches)
    p.add_argument("--dest", default=None, help="folder (default: the HOTDOG_SYNTHETIC setting)")
    p.add_argument("--blender", default=None,
                   help="a Python with bpy, or a Blender executable, to render with (default: this Python)")
    p.set_defaults(func=_render)


def _renderer_options(p, switches) -> None:
    """The renderer's settings, the same on render, study and transfer (read by study_commands.render_config)."""
    p.add_argument("--without", nargs="+", default=[], metavar="SWITCH", choices=switches,
                   help="randomizations to switch off, for an ablation: " + ", ".join(switches))
    p.add_argument("--backgrounds", default=None, metavar="DIR", help=BACKGROUNDS_HELP)
    p.add_argument("--set", nargs="+", default=[], metavar="FIELD=VALUE",
                   help="other RenderConfig fields, as JSON: e.g. surface_p=0.8 hdri_p=0.5 offcentre=0.3 "
                        "distance_factor=[0.7,1.3] (see hotdog/render/spec.py)")


def _add_train(sub) -> None:
    p = sub.add_parser("train", help="train the article's network one way and test it on the held-out real photos")
    p.add_argument("mode", choices=modes.REGIMES,
                   help="authentic: real photos only; synthetic: renders only; both: renders, then real photos; "
                        "adapted: renders plus the real training photos without their labels")
    _labels_option(p)
    _size_option(p, gives="epochs and photos")
    p.add_argument("--epochs", type=COUNT, default=None, help="epochs of every stage, exactly (default: the preset's, scaled by the recipe: tuned trains 100/30 as many on photos)")
    p.add_argument("--photos", type=COUNT, default=None,
                   help="train on only the first N of the 799 real training photos (default: the preset's)")
    p.add_argument("--seed", type=SEED, default=0, help="seed for the 799/199 split, initialisation and batches")
    p.add_argument("--synthetic", default=None, help="rendered images (default: the HOTDOG_SYNTHETIC setting)")
    p.add_argument("--out", default=None,
                   help="folder for the checkpoints and the run's record (default: results/<size>/checkpoints)")
    p.add_argument("--force", action="store_true", help="replace a finished model of this mode in the --out folder")
    _training_options(p)
    p.set_defaults(func=_train)


def _labels_option(p) -> None:
    p.add_argument("--labels", type=LABELS, default=None, metavar="K",
                   help="only K of the training photos keep their labels (by class, drawn by the seed); adapted also "
                        "learns from the rest without theirs (default: authentic and both use every label, adapted none)")


def _add_study(sub, switches) -> None:
    p = sub.add_parser("study", help="several seeds of the experiment, each saved as JSON, and the table over them")
    p.add_argument("name", type=NAME, help="the study's name: results go to results/studies/NAME/seed<k>.json "
                                "($HOTDOG_RESULTS/studies/NAME with that setting)")
    p.add_argument("--seeds", type=SEED, nargs="+", default=[0, 1, 2], help="split/initialisation seeds")
    _size_option(p, gives="renders and epochs ('article': 5,000 renders, 10 + 20 and 30 epochs)")
    p.add_argument("--epochs", type=COUNT, default=None, help="epochs of every stage, exactly (default: the preset's, scaled by the recipe: tuned trains 100/30 as many on photos)")
    _training_options(p)
    p.add_argument("--synthetic", default=None,
                   help="rendered images (default: data/synthetic_<n>[_without-...][_photo-backgrounds])")
    p.add_argument("--no-render", action="store_true", help="use the rendered images as they are")
    p.add_argument("--images", type=COUNT, default=None, help="synthetic images to render and train on (default: the preset's)")
    _renderer_options(p, switches)
    p.add_argument("--real-share", type=float, default=None,
                   help="train on this share of the 799 real training photos (e.g. 0.1); the test photos stay the same")
    p.add_argument("--split-seed", type=SEED, default=None,
                   help="test every seed on this split's 199 photos; each seed then varies the initialisation, "
                        "the batches and its own renders (render seed = seed)")
    p.add_argument("--synthetic-stage-from", default=None, metavar="STUDY",
                   help="start both from this study's finished synthetic stage of the same seed, when every setting "
                        "it depends on is the same (e.g. --real-share studies from the full study)")
    p.add_argument("--modes", nargs="+", choices=modes.REGIMES, default=list(modes.TRAINED),
                   help="training runs: both (also gives the synthetic model) and authentic; renderer ablations need "
                        "only both; synthetic alone trains on renders only; adapted: renders plus the training photos "
                        "without their labels (also gives the synthetic model)")
    _labels_option(p)
    p.add_argument("--force", action="store_true",
                   help="start the study again: its finished seeds (made with other settings) are removed first")
    p.set_defaults(func=study_command)


def _add_compare(sub) -> None:
    p = sub.add_parser("compare", help="the table of one or more studies from their JSON files (no training)")
    p.add_argument("names", nargs="*", help="studies under results/studies (default: all)")
    p.add_argument("--markdown", action="store_true",
                   help="one table, the studies side by side (the README's); with --against, their paired differences")
    p.add_argument("--figure", default=None, help="also save the studies' bars (mean, interval, seeds) to this PNG")
    p.add_argument("--labels-curve", default=None, metavar="PNG",
                   help="also save accuracy and AUC against the training photos that kept their labels, one study "
                        "per count (e.g. adapted-split0 labels40-split0 labels160-split0 photo-split0)")
    p.add_argument("--against", default=None, metavar="REFERENCE",
                   help="also each study minus this one (e.g. an ablation against small-bf16), paired by seed "
                        "on the same test photos, with McNemar's test")
    p.add_argument("--per-seed", action="store_true",
                   help="instead, one markdown table per study, a row per seed: each regime's accuracy, AUC and "
                        "share answered hotdog, and the CPU and arithmetic")
    p.set_defaults(func=compare_command)


def _add_search(sub) -> None:
    p = sub.add_parser("search", help="the recipe search: trials scored on validation photos carved from the "
                                      "training photos, never the test photos (results/recipe-search); "
                                      "always at the article's sizes, whatever --size or HOTDOG_SIZE say")
    p.add_argument("trials", nargs="*", help="trials to run, in order (default: all; finished ones are skipped)")
    _precision_option(p)
    p.add_argument("--synthetic", default=None, help="renders for the trials of 'both' (default: data/synthetic_5000; "
                                                     "python -m hotdog render --images 5000 --dest data/synthetic_5000)")
    p.add_argument("--table", action="store_true", help="only print the table of the finished trials")
    p.set_defaults(func=_search)


def _add_adapt(sub) -> None:
    p = sub.add_parser("adapt", help="the adaptation trials: renders plus split 0's training photos without their "
                                     "labels, scored on validation photos only (results/adapt-search); "
                                     "always at the article's sizes, whatever --size or HOTDOG_SIZE say")
    p.add_argument("trials", nargs="*", help="trials to run (default: all; see hotdog/adapt_search.py)")
    p.add_argument("--synthetic", default=None, help="the renders (default: data/synthetic_5000; python -m hotdog "
                                                     "render --images 5000 --dest data/synthetic_5000)")
    _precision_option(p)
    p.add_argument("--table", action="store_true", help="only print the table of the finished trials")
    p.set_defaults(func=_adapt)


def _add_transfer(sub, switches) -> None:
    p = sub.add_parser("transfer", help="the renderer's compass: train on renders alone, score AUC on the 799 "
                                        "training photos of split seed 0 (results/transfer/NAME.json)")
    p.add_argument("name", nargs="?", type=NAME, help="the renderer variant's name (its renders: data/transfer_NAME)")
    p.add_argument("--images", type=COUNT, default=2000, help="renders to make and train on (default 2000)")
    p.add_argument("--seed", type=SEED, default=0, help="the renders' seed")
    p.add_argument("--seeds", type=SEED, nargs="+", default=[0, 1, 2], help="training seeds (default 0 1 2)")
    _jobs_option(p)
    _renderer_options(p, switches)
    p.add_argument("--train", nargs="+", default=[], metavar="FIELD=VALUE",
                   help="a training variant: change the fixed recipe (hotdog/transfer.py RECIPE), as JSON: e.g. "
                        "augment=trivial; the renderer is judged with the recipe unchanged")
    p.add_argument("--renders", default=None, metavar="VARIANT",
                   help="train on the renders of this variant (data/transfer_VARIANT), e.g. with --train")
    _precision_option(p)
    p.add_argument("--table", action="store_true", help="only print the table of the variants measured so far")
    p.add_argument("--force", action="store_true",
                   help="start the variant again: its record (made with other settings) is removed, its renders kept")
    p.set_defaults(func=_transfer)


def _add_evaluate_and_predict(sub) -> None:
    p = sub.add_parser("evaluate", help="accuracy and its 95%% interval of a checkpoint on a folder of photos")
    p.add_argument("checkpoint", help="a .pt file saved by hotdog (e.g. results/small/checkpoints/...)")
    p.add_argument("folder", nargs="?", default=None,
                   help="a folder with hotdog/ and not_hotdog/ (default: the held-out real test photos)")
    p.add_argument("--seed", type=SEED, default=0, help="split seed when no folder is given")
    p.set_defaults(func=_evaluate)

    p = sub.add_parser("predict", help="SeeFood: is it a hotdog? for photos or folders of photos")
    p.add_argument("photos", nargs="+", help="image files or folders")
    p.add_argument("--checkpoint", default=None,
                   help="model to use (default: the one shipped with hotdog, hotdog/assets/hotdog_classifier.pt)")
    p.set_defaults(func=_predict)


def parser() -> argparse.ArgumentParser:
    from hotdog.render.spec import RANDOMIZATIONS

    top = argparse.ArgumentParser(prog="hotdog", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_download(sub)
    _add_render(sub, RANDOMIZATIONS)
    _add_train(sub)
    _add_study(sub, RANDOMIZATIONS)
    _add_compare(sub)
    _add_search(sub)
    _add_transfer(sub, RANDOMIZATIONS)
    _add_adapt(sub)
    _add_evaluate_and_predict(sub)
    return top


INTERRUPTED = {  # what Ctrl-C leaves behind, and how to go on
    "render": "every image written so far is whole and kept; the same command renders only the missing ones",
    "run": "the renders and the training epochs finished so far are kept; the same command goes on from there",
    "train": "the epochs finished so far are kept in <mode>.resume.pt beside the checkpoints; the same command "
             "resumes from the last one",
    "study": "finished seeds and the epochs of the seed in training are kept; the same command goes on from there",
    "download": "the files that arrived whole are kept; the same command fetches the rest",
    "transfer": "the renders and the finished seeds are kept; the same command goes on from there",
    "adapt": "finished trials and the start model are kept, a trial cut off goes on from its last epoch",
    "search": "finished trials and the epochs of the trial in training are kept; the same command goes on from there",
}


def _warning_line(message, category, filename, lineno, line=None) -> str:
    """A warning as one line for a reader (``hotdog: warning: ...``), without Python's source line."""
    return f"hotdog: warning: {message}\n"


def main(argv: list[str] | None = None) -> int:
    import warnings

    args = parser().parse_args(argv)
    formatted, warnings.formatwarning = warnings.formatwarning, _warning_line  # for this command only
    try:
        return args.func(args) or 0
    except (FileNotFoundError, ValueError, RuntimeError, ImportError) as error:  # ImportError: no bpy to render with
        print(f"hotdog {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nhotdog {args.command}: interrupted; {INTERRUPTED.get(args.command, 'nothing was written')}",
              file=sys.stderr)
        return 130
    finally:
        warnings.formatwarning = formatted


if __name__ == "__main__":
    sys.exit(main())
