"""Property-based tests: whatever text, bytes or Kubernetes-shaped object comes in, the loader
never raises and no rule fails on what it makes of it.

Generated objects have realistic ``apiVersion``/``kind`` pairs (the kinds the rules target) and,
in the places rules read (containers, resources, probes, selectors, annotations, ports, env,
volumes, security contexts, node groups ...), either a plausible value or a value of any type at
all: a rule must treat ``replicas: [1]`` or ``containers: {a: b}`` as the API server would
reject it, not crash on it. Each example is dumped as YAML (block or flow style) and JSON into a
scratch folder and scanned with every rule on.

The profile is derandomized (CI runs the same examples every time) and small enough to keep the
whole module to about twenty seconds.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.loader import SourceFile, load_bytes
from ekslint.linter.nodes import LMap, LSeq

PROFILE = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# -- text and bytes through the loader -----------------------------------------------------------

#: Characters that steer libyaml into its many paths, mixed with any character at all.
YAML_ALPHABET = list("-:?,[]{}#&*!|>'\"%@`\\ \t\n\r.~=<") + list("ab01") + ["---", "...", "\ufeff", "\x85", "\u2028"]
yamlish = st.lists(st.sampled_from(YAML_ALPHABET) | st.characters(), max_size=80).map("".join)


def check_source(source: SourceFile) -> None:
    """Every position the loader produced is 1-based, in issues and in every loaded tree."""
    for issue in source.issues:
        assert issue.pos.line >= 1 and issue.pos.col >= 1, issue
        assert "internal error" not in issue.message, issue
    for start, end in source.scalar_spans:
        assert min(start + end) >= 1
    stack: list[Any] = [d.root for d in source.documents]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, (LMap, LSeq)) or id(node) in seen:
            continue
        seen.add(id(node))
        assert node.pos.line >= 1 and node.pos.col >= 1
        assert min(node.at, default=1) >= 1
        assert len(node.at) == 2 + (4 if isinstance(node, LMap) else 2) * len(node)
        stack.extend(node.values() if isinstance(node, LMap) else node)
    for doc in source.documents:
        assert isinstance(doc.root, LMap)


@settings(PROFILE, max_examples=400)
@given(text=yamlish, suffix=st.sampled_from(["x.yaml", "x.json"]))
def test_any_text_loads_without_raising(text: str, suffix: str) -> None:
    source = load_bytes(SourceFile(display=suffix, path=Path(suffix)), text.encode("utf-8", errors="surrogatepass"))
    check_source(source)
    if source.text:
        lines = len(source.text.splitlines()) + 1
        assert all(issue.pos.line <= lines for issue in source.issues)


@settings(PROFILE, max_examples=300)
@given(text=yamlish | st.text())
def test_line_is_lines_without_the_copy(text: str) -> None:
    """``line(n)`` is ``lines[n - 1]``, and lines are cut where YAML cuts them: the line breaks
    libyaml counts (``\\n``, ``\\r\\n``, ``\\r``, NEL, LS, PS), not the form feeds and other
    controls that ``str.splitlines`` also breaks at."""
    source = SourceFile(display="x", text=text)
    expected = re.split("\r\n|[\n\r\x85\u2028\u2029]", text)
    if expected[-1] == "":
        expected.pop()
    assert source.lines == expected
    assert source.line_count == len(expected)
    assert [source.line(n) for n in range(source.line_count + 2)] == ["", *expected, ""]


@settings(PROFILE, max_examples=200)
@given(
    data=st.binary(max_size=200)
    | st.sampled_from(["utf-16", "utf-16-be", "utf-32", "latin-1"]).flatmap(
        lambda codec: yamlish.map(lambda t: t.encode(codec, errors="replace"))
    )
)
def test_any_bytes_load_without_raising(data: bytes) -> None:
    check_source(load_bytes(SourceFile(display="x.yaml", path=Path("x.yaml")), data))


# -- Kubernetes-shaped objects through every rule ------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


WORDS = [""] + words(
    "0 -1 1.5 100m 0.5 1Gi 128Mi yes true null * 0644 50% latest nginx:latest nginx:1.27 IfNotPresent "
    "AKIAIOSFODNN7EXAMPLE password 10.0.0.0/16 10.0.0.0/28 arn:aws:iam::123456789012:role/x app web "
    "kube-system internet-facing internal ip instance gp2 gp3 ebs.csi.aws.com kubernetes.io/aws-ebs 1.29 "
    "system:masters system:anonymous cluster-admin"
)
scalar = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10)
    | st.sampled_from(WORDS)
)
#: A value of any type: where a rule expects a mapping it may get a list, a number or nothing.
chaos = st.recursive(
    scalar,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6) | st.sampled_from(["name", "port", "key", "kind"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def one_of(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from(words(text))


names = one_of("app web db default kube-system x")
labels = st.dictionaries(one_of("app tier app.kubernetes.io/name"), names, max_size=2)
quantity = one_of("100m 1 0.5 128Mi 1Gi 2 0") | st.integers(0, 4)
ports = st.integers(1, 9000) | names
annotation_map = st.dictionaries(
    one_of(
        "service.beta.kubernetes.io/aws-load-balancer-type service.beta.kubernetes.io/aws-load-balancer-scheme "
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type service.beta.kubernetes.io/aws-load-balancer-ssl-cert "
        "alb.ingress.kubernetes.io/scheme alb.ingress.kubernetes.io/target-type alb.ingress.kubernetes.io/listen-ports "
        "alb.ingress.kubernetes.io/certificate-arn kubernetes.io/ingress.class karpenter.sh/do-not-disrupt "
        "eks.amazonaws.com/role-arn ekslint.io/ignore storageclass.kubernetes.io/is-default-class"
    ),
    scalar | one_of('nlb external ip instance internet-facing true [{"HTTPS":443}] arn:aws:acm:x all'),
    max_size=3,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A plausible value five times in six, a value of any type otherwise."""
    return st.one_of(strategy, strategy, strategy, strategy, strategy, chaos)


def shape(template: Any) -> st.SearchStrategy[Any]:
    """A strategy from a template: a dict's keys ending in ``?`` may be left out, a one-item list
    is a short list of that, a strategy is itself; any value may be replaced by ``chaos``."""
    if isinstance(template, dict):
        required = {k: maybe(shape(v)) for k, v in template.items() if not k.endswith("?")}
        optional = {k[:-1]: maybe(shape(v)) for k, v in template.items() if k.endswith("?")}
        return st.fixed_dictionaries(required, optional=optional)
    if isinstance(template, list):
        return st.lists(shape(template[0]), min_size=1, max_size=2)
    assert isinstance(template, st.SearchStrategy), template
    return template


probe = {
    "httpGet?": {"path?": st.just("/healthz"), "port": ports},
    "tcpSocket?": {"port": ports},
    "exec?": {"command": [st.text(max_size=5)]},
    "initialDelaySeconds?": st.integers(0, 100),
}
security_context = {
    "privileged?": st.booleans(),
    "allowPrivilegeEscalation?": st.booleans(),
    "readOnlyRootFilesystem?": st.booleans(),
    "runAsUser?": st.integers(0, 2000),
    "runAsNonRoot?": st.booleans(),
    "capabilities?": {"add?": [one_of("NET_ADMIN SYS_ADMIN ALL NET_RAW")], "drop?": [one_of("ALL NET_RAW")]},
}
container = {
    "name": names,
    "image": one_of("nginx nginx:latest nginx:1.27 repo/app@sha256:0123"),
    "resources?": {
        "requests?": {"cpu?": quantity, "memory?": quantity},
        "limits?": {"cpu?": quantity, "memory?": quantity},
    },
    "livenessProbe?": probe,
    "readinessProbe?": probe,
    "ports?": [{"name?": names, "containerPort": st.integers(1, 9000), "protocol?": st.just("TCP")}],
    "env?": [
        {
            "name": one_of("PASSWORD AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY MODE DB_TOKEN"),
            "value?": scalar,
            "valueFrom?": {"secretKeyRef": {"name": names, "key": names}},
        }
    ],
    "securityContext?": security_context,
    "volumeMounts?": [{"name": names, "mountPath": st.just("/data")}],
}
metadata = {"name": names, "namespace?": names, "labels?": labels, "annotations?": annotation_map}
pod_spec = {
    "containers": [container],
    "initContainers?": [container],
    "volumes?": [{"name": names, "hostPath?": {"path": st.just("/var/run/docker.sock")}, "emptyDir?": st.just({})}],
    "hostNetwork?": st.booleans(),
    "hostPID?": st.booleans(),
    "securityContext?": security_context,
    "serviceAccountName?": names,
    "nodeSelector?": labels,
    "tolerations?": [{"key": names, "operator": st.just("Exists")}],
    "topologySpreadConstraints?": [
        {"maxSkew": st.integers(0, 2), "topologyKey": names, "labelSelector": {"matchLabels": labels}}
    ],
    "affinity?": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": names}]}},
}
selector = {
    "matchLabels?": labels,
    "matchExpressions?": [{"key": names, "operator": one_of("In Exists"), "values?": [names]}],
}
template = {"metadata": {"labels": labels, "annotations?": annotation_map}, "spec": pod_spec}
workload = {"replicas?": st.integers(0, 5), "selector": selector, "template": template}
backend = {"service": {"name": names, "port": {"number?": st.integers(1, 9000), "name?": names}}}
SPECS: dict[str, Any] = {
    "Deployment": workload,
    "StatefulSet": {
        **workload,
        "volumeClaimTemplates?": [{"spec": {"accessModes": [one_of("ReadWriteOnce ReadWriteMany")]}}],
    },
    "DaemonSet": workload,
    "ReplicaSet": workload,
    "Job": {"template": template},
    "CronJob": {"schedule": st.just("* * * * *"), "jobTemplate": {"spec": {"template": template}}},
    "Pod": pod_spec,
    "Service": {
        "type?": one_of("ClusterIP NodePort LoadBalancer"),
        "selector?": labels,
        "ports": [{"name?": names, "port": st.integers(1, 9000), "targetPort?": ports}],
        "loadBalancerSourceRanges?": [st.just("0.0.0.0/0")],
    },
    "Ingress": {
        "ingressClassName?": one_of("alb nginx"),
        "rules": [{"host?": names, "http": {"paths": [{"path?": st.just("/"), "backend": backend}]}}],
        "tls?": [{"hosts": [names]}],
        "defaultBackend?": backend,
    },
    "PodDisruptionBudget": {
        "minAvailable?": st.integers(0, 5) | st.just("50%"),
        "maxUnavailable?": quantity,
        "selector": selector,
    },
    "HorizontalPodAutoscaler": {
        "scaleTargetRef": {"kind": one_of("Deployment StatefulSet"), "name": names, "apiVersion?": st.just("apps/v1")},
        "minReplicas?": st.integers(0, 5),
        "maxReplicas": st.integers(0, 5),
        "targetCPUUtilizationPercentage?": st.integers(1, 100),
        "metrics?": [
            {
                "type": st.just("Resource"),
                "resource": {
                    "name": one_of("cpu memory"),
                    "target": {"type": st.just("Utilization"), "averageUtilization": st.integers(1, 100)},
                },
            }
        ],
    },
    "VerticalPodAutoscaler": {
        "targetRef": {"kind": st.just("Deployment"), "name": names},
        "updatePolicy?": {"updateMode": st.just("Auto")},
        "resourcePolicy?": {"containerPolicies": [{"controlledResources": [one_of("cpu memory")]}]},
    },
    "PersistentVolumeClaim": {
        "accessModes": [one_of("ReadWriteOnce ReadWriteMany")],
        "storageClassName?": one_of("app gp2 gp3"),
        "resources": {"requests": {"storage": quantity}},
    },
}
BODIES: dict[str, Any] = {
    "ConfigMap": {
        "data?": st.dictionaries(
            one_of("mapRoles mapUsers application.properties config.yaml password"),
            scalar
            | one_of("password=hunter2 rolearn:_arn:aws:iam::1:role/x,groups:[system:masters]")
            | st.just("password=hunter2\nuser=a\n")
            | st.just("- rolearn: arn:aws:iam::1:role/x\n  groups: [system:masters]\n"),
            max_size=3,
        ),
        "binaryData?": st.dictionaries(names, scalar, max_size=2),
    },
    "Secret": {
        "data?": st.dictionaries(names, scalar, max_size=2),
        "stringData?": st.dictionaries(names, scalar, max_size=2),
    },
    "StorageClass": {
        "provisioner": one_of("ebs.csi.aws.com kubernetes.io/aws-ebs efs.csi.aws.com"),
        "parameters?": st.dictionaries(one_of("type encrypted provisioningMode fileSystemId"), scalar, max_size=3),
        "volumeBindingMode?": one_of("Immediate WaitForFirstConsumer"),
    },
    "ClusterRole": {
        "rules": [
            {"apiGroups": [one_of("* apps")], "resources": [one_of("* pods secrets")], "verbs": [one_of("* get")]}
        ]
    },
    "Role": {"rules": [{"apiGroups": [st.just("")], "resources": [st.just("*")], "verbs": [st.just("*")]}]},
    "ClusterRoleBinding": {
        "roleRef": {"kind": st.just("ClusterRole"), "name": one_of("cluster-admin view")},
        "subjects": [
            {"kind": one_of("User Group ServiceAccount"), "name": one_of("system:anonymous system:unauthenticated x")}
        ],
    },
    "RoleBinding": {
        "roleRef": {"kind": st.just("Role"), "name": names},
        "subjects": [{"kind": st.just("Group"), "name": names}],
    },
    "CustomResourceDefinition": {
        "spec": {
            "group": st.just("example.com"),
            "names": {"kind": st.just("Thing")},
            "versions": [{"name": st.just("v1"), "schema?": chaos}],
        }
    },
    "ClusterConfig": {
        "vpc?": {
            "cidr?": st.just("10.0.0.0/16"),
            "subnets?": {
                "private": st.dictionaries(
                    one_of("eu-west-1a eu-west-1b"),
                    shape({"id?": names, "cidr?": one_of("10.0.0.0/28 10.0.0.0/19")}),
                    max_size=2,
                )
            },
            "clusterEndpoints?": {"publicAccess?": st.booleans(), "privateAccess?": st.booleans()},
            "publicAccessCIDRs?": [st.just("0.0.0.0/0")],
        },
        "iam?": {"withOIDC": st.booleans()},
        "nodeGroups?": [
            {
                "name": names,
                "instanceType?": one_of("m5.large t3.micro"),
                "desiredCapacity?": st.integers(0, 60),
                "volumeEncrypted?": st.booleans(),
                "ssh?": {"allow": st.booleans()},
                "privateNetworking?": st.booleans(),
                "availabilityZones?": [names],
            }
        ],
        "managedNodeGroups?": [
            {
                "name": names,
                "instanceTypes?": [st.just("m5.large")],
                "version?": one_of("1.28 1.33"),
                "updateConfig?": {"maxUnavailable": st.integers(0, 3)},
            }
        ],
        "secretsEncryption?": {"keyARN": names},
        "cloudWatch?": {"clusterLogging": {"enableTypes": [one_of("api audit *")]}},
        "fargateProfiles?": [{"name": names, "selectors": [{"namespace": names}]}],
    },
    "NodePool": {
        "spec": {
            "template": {
                "spec": {
                    "nodeClassRef": {"kind": st.just("EC2NodeClass"), "name": names},
                    "requirements?": [{"key": names, "operator": st.just("In"), "values": [names]}],
                }
            },
            "limits?": {"cpu": quantity},
            "disruption?": {"budgets?": [{"nodes": st.just("10%")}], "consolidationPolicy?": st.just("WhenEmpty")},
        }
    },
    "EC2NodeClass": {
        "spec": {
            "amiSelectorTerms?": [{"alias": one_of("al2023@latest al2023@v20240807")}],
            "metadataOptions?": {
                "httpTokens?": one_of("optional required"),
                "httpPutResponseHopLimit?": st.integers(1, 3),
            },
            "role?": names,
        }
    },
}
#: (apiVersion, kind): the kinds the rules target, in current and removed API versions.
KINDS = [
    tuple(pair.split(","))
    for pair in words(
        "apps/v1,Deployment apps/v1,StatefulSet apps/v1,DaemonSet apps/v1,ReplicaSet extensions/v1beta1,Deployment "
        "batch/v1,Job batch/v1,CronJob batch/v1beta1,CronJob v1,Pod v1,Service networking.k8s.io/v1,Ingress "
        "extensions/v1beta1,Ingress policy/v1,PodDisruptionBudget policy/v1beta1,PodDisruptionBudget "
        "autoscaling/v2,HorizontalPodAutoscaler autoscaling/v1,HorizontalPodAutoscaler "
        "autoscaling.k8s.io/v1,VerticalPodAutoscaler v1,PersistentVolumeClaim v1,ConfigMap v1,Secret "
        "storage.k8s.io/v1,StorageClass rbac.authorization.k8s.io/v1,ClusterRole rbac.authorization.k8s.io/v1,Role "
        "rbac.authorization.k8s.io/v1,ClusterRoleBinding rbac.authorization.k8s.io/v1,RoleBinding "
        "apiextensions.k8s.io/v1,CustomResourceDefinition eksctl.io/v1alpha5,ClusterConfig karpenter.sh/v1,NodePool "
        "karpenter.k8s.aws/v1,EC2NodeClass"
    )
]
EKSCTL_METADATA = {"name": names, "region": st.just("eu-west-1"), "version?": one_of("1.23 1.30 1.33") | st.just(1.3)}


@st.composite
def k8s_object(draw: st.DrawFn) -> dict[str, Any]:
    """One object of a targeted kind: apiVersion and kind nearly always right, the rest shaped
    like the real thing with values of any type here and there."""
    api_version, kind = draw(st.sampled_from(KINDS))
    rare_chaos = st.one_of(*[st.just(None)] * 9, chaos)
    obj: dict[str, Any] = {"apiVersion": draw(rare_chaos) or api_version, "kind": draw(rare_chaos) or kind}
    obj["metadata"] = draw(maybe(shape(EKSCTL_METADATA if kind == "ClusterConfig" else metadata)))
    body = {"spec": SPECS[kind]} if kind in SPECS else BODIES[kind]
    obj.update(draw(shape(body)))
    return obj


def with_list(objs: list[dict[str, Any]]) -> list[Any]:
    """Three objects: also wrap the first in a ``kind: List`` (as ``kubectl get -o yaml`` does)."""
    return [*objs, {"apiVersion": "v1", "kind": "List", "items": objs[:1]}] if len(objs) == 3 else objs


objects = st.lists(k8s_object(), min_size=1, max_size=3).map(with_list)


@settings(PROFILE, max_examples=120)
@given(objs=objects, flow=st.booleans())
def test_kubernetes_shaped_objects_through_every_rule(objs: list[Any], flow: bool) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        text = yaml.safe_dump_all(objs, default_flow_style=flow, allow_unicode=True, sort_keys=False)
        (folder / "objects.yaml").write_text(text, encoding="utf-8")
        (folder / "objects.json").write_text(json.dumps(objs[0], ensure_ascii=flow), encoding="utf-8")
        report = lint([str(folder)], Settings(root=folder, enable=["all"]), cwd=folder)
    assert report.errors == [], [str(e) for e in report.errors]
    assert report.files == 2
    for result in report.results:
        assert result.line >= 1 and result.col >= 1, result
