"""The ``study`` and ``compare`` commands of ``python -m hotdog`` (:mod:`hotdog.__main__`), and the options
every command reads alike: the sizes (``--size``, ``--epochs``, ``--photos``, ``--images``) and ``--backgrounds``.

A study checks everything before any work: its options, its render folders, and every setting against its
finished seeds (:func:`hotdog.study.check_settings`); only then does it render and train.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hotdog.provenance import DamagedRecord


def render_config(args, n_images: int, seed: int, **fields):
    """The :class:`~hotdog.render.RenderConfig` that --without, --backgrounds and --set ask for (render, study
    and transfer alike); --backgrounds as an absolute path, which the render workers and the manifest need."""
    from hotdog.render import RenderConfig

    chosen = str(Path(args.backgrounds).resolve()) if args.backgrounds else None
    return RenderConfig(n_images=n_images, seed=seed, backgrounds_dir=chosen, **fields).without(
        *args.without).with_settings(args.set)


def sizes_from(args):
    """The --size preset, with --epochs (every stage), --photos and --images where the command has them."""
    from hotdog import settings

    sizes = settings.sizes(args.size)
    if args.epochs is not None:
        sizes = dataclasses.replace(sizes, synthetic_epochs=args.epochs, finetune_epochs=args.epochs,
                                    authentic_epochs=args.epochs)
    if getattr(args, "photos", None) is not None:
        sizes = dataclasses.replace(sizes, authentic_train_limit=args.photos)
    if getattr(args, "images", None) is not None:
        sizes = dataclasses.replace(sizes, n_synthetic=args.images)
    return sizes


def recipe_from(args):
    """The --recipe asked for; by default the one the size was made for, as the main job takes it
    (:func:`hotdog.settings.default_recipe`: ``tuned`` at ``small``). With --epochs, N epochs exactly in every
    stage, the recipe's epoch factors set aside (:func:`hotdog.settings.exact_epochs`)."""
    from hotdog import settings

    chosen = settings.recipe(args.recipe or settings.default_recipe(getattr(args, "size", None)))
    return settings.exact_epochs(chosen) if getattr(args, "epochs", None) is not None else chosen


def _study_renders(args, sizes, seed: int = 0) -> tuple[Path, dict | None, object]:
    """The study's renders: their folder, the config they are made with as a record saves it, and the
    :class:`~hotdog.render.RenderConfig` to render (None with --no-render, whose config is the one the
    folder records, :func:`hotdog.render.folder_config`, or None where it records none): one set for every
    seed, or with --split-seed each seed's own (render seed = seed; seed 0's is the usual folder)."""
    from hotdog import paths, study
    from hotdog.fields import render_differences
    from hotdog.render import folder_config

    config = render_config(args, sizes.n_synthetic, seed)
    root = Path(args.synthetic) if args.synthetic else paths.renders_dir(sizes.n_synthetic, tuple(args.without),
                                                                         bool(args.backgrounds))
    root = paths.seed_renders(root, seed)
    _check_folder(root, "--synthetic", must_exist=args.no_render)
    if not args.no_render:
        return root, config.as_dict(), config
    found = folder_config(root, config, *study.recorded_renders(args.name, seed=seed))
    differ = [k for k in render_differences(found or {}, config.as_dict()) if k not in ("n_images", "seed")]
    if (args.set or args.without or args.backgrounds) and found is not None and differ:
        raise ValueError(f"--no-render: {root} holds renders made otherwise than --set/--without/--backgrounds ask "
                         f"({', '.join(differ)}): drop those options to train on them as they are, or render them "
                         f"(without --no-render) into another folder")
    return root, found, None


def _check_folder(path: Path, option: str, must_exist: bool) -> None:
    """``path`` given to ``option`` is a folder (or, unless ``must_exist``, is not there yet)."""
    if path.exists() and not path.is_dir():
        raise ValueError(f"{option} {path} is a file: give a folder of renders (hotdog/ and not_hotdog/ in it)")
    if must_exist and not path.is_dir():
        raise FileNotFoundError(f"{option} {path} does not exist: render it first (drop --no-render), or name the "
                                f"folder that holds the renders")


def _render_now(config, root: Path, sizes):
    """Render what is missing of ``config`` into ``root`` (nothing without a config: --no-render); the report."""
    if config is None:
        return None
    from hotdog.render import render_dataset

    return render_dataset(root, config, n_jobs=sizes.render_jobs)


def _check_study_options(args) -> None:
    from hotdog import modes, study
    from hotdog.experiment import check_labels

    study.trainings(tuple(args.modes))  # e.g. both and synthetic together: refused before any render
    if args.real_share is not None and not 0 < args.real_share <= 1:
        raise ValueError(f"--real-share is a fraction of the 799 training photos, in (0, 1], not {args.real_share}")
    if args.real_share is not None and round(799 * args.real_share) < 1:
        raise ValueError(f"--real-share {args.real_share} leaves none of the 799 training photos: give a share of "
                         f"at least {1 / 799:.4f} (one photo)")
    if args.set and args.modes == ["authentic"]:
        raise ValueError("--set changes the renders, and --modes authentic trains on none: drop --set, or add both")
    if args.synthetic_stage_from and not modes.starts_from_synthetic(args.modes):
        raise ValueError("--synthetic-stage-from starts both (or adapted) from a finished synthetic stage: add --modes "
                         "both, or drop it")
    check_labels(tuple(args.modes), args.labels)
    if args.set and not args.synthetic:
        raise ValueError("--set changes the renders: give them their own folder with --synthetic DIR")


def study_command(args) -> None:
    from hotdog import report, settings, study

    sizes = sizes_from(args)
    _check_study_options(args)
    if args.real_share is not None:
        sizes = dataclasses.replace(sizes, authentic_train_limit=round(799 * args.real_share))
    recipe = recipe_from(args)
    needs_renders = args.modes != ["authentic"]
    own_renders = needs_renders and args.split_seed is not None  # with a fixed split, each seed renders its own
    plans = {seed: _study_renders(args, sizes, seed) if needs_renders else (None, None, None)
             for seed in (args.seeds if own_renders else [0])}
    if args.force and study.exists(args.name):
        print(f"--force: study {args.name!r} starts again ({study.start_again(args.name)} finished seeds removed)")
    for _, recorded, _ in plans.values():  # every setting checked against the finished seeds before any render
        study.check_settings(args.name, study.planned(sizes, recipe, args.precision, tuple(args.modes), recorded,
                                                      args.split_seed, args.labels))
    rendered = _render_now(plans[0][2], plans[0][0], sizes) if needs_renders and not own_renders else None
    for seed in args.seeds:
        print(f"== {args.name}: seed {seed}" + ("" if args.split_seed is None else f" on split {args.split_seed}"))
        root, recorded, config = plans[seed if own_renders else 0]
        if own_renders:
            rendered = _render_now(config, root, sizes)
        study.run_seed(args.name, seed, sizes, root, recipe=recipe, precision=args.precision, trained=tuple(args.modes),
                       render_config=recorded, render_report=rendered, split_seed=args.split_seed,
                       synthetic_stage_from=args.synthetic_stage_from, labels=args.labels)
    print(report.format_summary(study.summarize(study.load(args.name)), title=f"study {args.name!r}"))


def compare_command(args) -> None:
    from hotdog import paths, report, study

    names = args.names
    if not names and paths.studies_dir().is_dir():
        names = sorted(p.name for p in paths.studies_dir().iterdir() if p.is_dir())
    if not names:
        raise FileNotFoundError(f"no studies in {paths.studies_dir()}; run `python -m hotdog study NAME` first")
    figure = _figure_path(args.figure) if args.figure else None  # (a bad figure path stops before any reading)
    curve = _figure_path(args.labels_curve, "--labels-curve") if args.labels_curve else None
    records, damaged = {}, []
    for name in names:
        try:
            records[name] = study.load(name)
        except DamagedRecord as error:  # the other studies still print; this one is named at the end
            damaged.append(str(error))
    names = list(records)
    summaries = {name: study.summarize(records[name]) for name in names}
    if figure:
        import matplotlib

        matplotlib.use("Agg")
        from hotdog import plots

        plots.study_bars(summaries).savefig(figure, dpi=110)
        print(f"figure: {figure}")
    if curve:
        _labels_curve(records, summaries, curve)
    comparisons = {}
    if args.against:
        reference = records.get(args.against) or study.load(args.against)
        comparisons = {name: study.versus(records[name], reference) for name in names if name != args.against}
    if args.per_seed:
        print("\n\n".join(report.format_seeds_markdown(name, records[name]) for name in names))
    elif args.markdown:
        print(report.format_versus_markdown(comparisons, args.against) if args.against
              else report.format_markdown(summaries))
    else:
        for name, summary in summaries.items():
            print(report.format_summary(summary, title=f"study {name!r}") + "\n")
        for name, comparison in comparisons.items():
            print(report.format_versus(comparison, name, args.against) + "\n")
    if damaged:
        raise DamagedRecord("left out, damaged: " + "; ".join(damaged))


def _labels_curve(records: dict[str, list[dict]], summaries: dict[str, dict], figure: Path) -> None:
    """The labels curve of the studies named (:func:`hotdog.plots.labels_curve`), one study per label count."""
    import matplotlib

    matplotlib.use("Agg")
    from hotdog import plots, study

    points = {}
    for name, recorded in records.items():
        k = study.labelled(recorded)
        if k in points:
            raise ValueError(f"--labels-curve: {points[k][0]} and {name} both kept {k} labels; name one study per count")
        points[k] = (name, summaries[name])
    plots.labels_curve({k: summary for k, (_, summary) in points.items()}).savefig(figure, dpi=110)
    print(f"labels curve: {figure} ({', '.join(f'{k}: {name}' for k, (name, _) in sorted(points.items()))})")


def _figure_path(figure: str, option: str = "--figure") -> Path:
    """``option``'s file, its folder made; a folder given instead of a file is refused before any work."""
    path = Path(figure)
    if path.is_dir():
        raise ValueError(f"{option} {figure} is a folder: give a file name, e.g. {path / 'comparison.png'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
