"""acme/ecr-images: images come from Acme's own ECR registries, where they are scanned."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ekslint.api import Finding, Level, RuleContext, Workload, rule


@dataclass(frozen=True)
class Options:
    """``rules: {acme/ecr-images: {options: {account: "210987654321"}}}`` in .ekslint.yaml."""

    account: str = "123456789012"


def registry_of(image: str) -> str:
    """The registry host of an image reference (Docker Hub's when the first part is no host)."""
    first, _, rest = image.partition("/")
    return first if rest and ("." in first or ":" in first or first == "localhost") else "docker.io"


@rule(
    id="acme/ecr-images",
    title="Images come from Acme's ECR",
    level=Level.ERROR,
    targets=(Workload,),
    options=Options,
    help_url="https://github.com/ekslint/ekslint/blob/main/examples/plugin/acme_ekslint/ecr_images.md",
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    options: Options = ctx.options
    ours = re.compile(rf"^{re.escape(options.account)}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$")
    for c in w.containers:
        image = c.spec.get("image")
        if not isinstance(image, str) or not image:
            continue
        host = registry_of(image)
        if not ours.match(host):
            yield Finding(
                f"{c.describe} pulls {image!r} from {host}: only images in account {options.account}'s ECR "
                "are scanned and mirrored; push it there (or use an ECR pull-through cache rule)",
                c.path + ("image",),
                value=True,
            )
