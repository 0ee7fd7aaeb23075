"""job-no-ttl: a Job that nothing deletes after it finishes.

A finished Job stays in the API, with its pods (``Completed`` or ``Error``), until someone
deletes it: ``spec.ttlSecondsAfterFinished`` lets the TTL-after-finished controller delete both.
Not reported:

* Jobs owned by a CronJob (``metadata.ownerReferences``, as exported from a cluster): the
  CronJob's ``successfulJobsHistoryLimit``/``failedJobsHistoryLimit`` prune them. A Job written
  inside a CronJob's ``jobTemplate`` is not a Job object, so it is never a target here.
* Helm hooks (``helm.sh/hook``) and Argo CD hooks (``argocd.argoproj.io/hook``), and any Job with
  a ``helm.sh/hook-delete-policy`` or ``argocd.argoproj.io/hook-delete-policy``: the tool deletes
  them (both default to ``before-hook-creation``/``BeforeHookCreation``), so at most one finished
  copy per hook remains.
* Kustomize patches, and a base Job whose TTL an overlay sets.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import is_patch, overlay_mentions, overridden

FIELD = "ttlSecondsAfterFinished"
#: Annotations that hand the Job's lifecycle to Helm or Argo CD.
HOOK_ANNOTATIONS = (
    "helm.sh/hook",
    "helm.sh/hook-delete-policy",
    "argocd.argoproj.io/hook",
    "argocd.argoproj.io/hook-delete-policy",
)


def owned_by_cronjob(job: Workload) -> bool:
    """Does ``metadata.ownerReferences`` name a CronJob?"""
    owners = job.metadata.get("ownerReferences")
    if not isinstance(owners, list):
        return False
    return any(isinstance(o, dict) and o.get("kind") == "CronJob" for o in owners)


@rule(
    id="job-no-ttl",
    title="Jobs should be cleaned up after they finish",
    level=Level.NOTE,
    targets=(Workload,),
    kinds=("Job.batch",),
    tags=("availability",),
)
def check(job: Workload, ctx: RuleContext) -> Iterator[Finding]:
    if job.version != "v1" or is_patch(job, ctx) or owned_by_cronjob(job):
        return
    if any(key in job.annotations for key in HOOK_ANNOTATIONS):
        return  # Helm or Argo CD deletes it (hook delete policy)
    if job.spec.get(FIELD) is not None:
        return
    if overridden(job, ctx, ("spec", FIELD)) or overlay_mentions(job, ctx, FIELD):
        return  # an overlay sets the TTL
    yield Finding(
        f"{job.ref} has no spec.{FIELD}: once it finishes, the Job and its pods stay in the cluster until "
        "someone deletes them, so they pile up and the next apply of a changed template fails (it is "
        f"immutable); set spec.{FIELD} (e.g. 86400), or run it from a CronJob or as a Helm/Argo CD hook "
        "with a delete policy",
        ("spec",),
    )
