"""ValidatingAdmissionPolicies evaluated offline, on the examples of the Kubernetes documentation
(kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/) with the verdicts
it states, and on what ekslint must say it cannot evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ekslint.cli import app

runner = CliRunner()

DEMO_POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: demo-policy.example.com
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments"]
  validations:
    - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: demo-binding-test.example.com
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
"""


def namespace(name: str, **labels: str) -> str:
    shown = ", ".join(f"{k}: {v}" for k, v in labels.items())
    return f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels: {{{shown}}}\n"


def deployment(name: str, ns: str, replicas: int, image: str = "nginx", labels: str = "{}") -> str:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels: {labels}\n"
        f"spec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
        f"    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers: [{{name: app, image: {image}}}]\n"
    )


def scan(tmp_path: Path, *docs: str, args: tuple[str, ...] = ()) -> dict:
    (tmp_path / "manifests.yaml").write_text("---\n".join(docs))
    result = runner.invoke(
        app,
        ["scan", str(tmp_path / "manifests.yaml"), "--no-config", "-f", "json", *args],
        env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""},
    )
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    data["vap"] = [r for r in data["results"] if r["rule"].startswith("vap/")]
    return data


def test_basic_example_denies_as_the_docs_say(tmp_path: Path) -> None:
    data = scan(
        tmp_path,
        DEMO_POLICY,
        namespace("test-ns", environment="test"),
        namespace("prod-ns", environment="prod"),
        deployment("big", "test-ns", 6),
        deployment("small", "test-ns", 5),
        deployment("big-prod", "prod-ns", 6),
    )
    assert [(r["object"], r["level"], r["message"]) for r in data["vap"]] == [
        (
            "Deployment/test-ns/big",
            "error",
            # the message the documentation shows the API server return
            "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' "
            "denied request: failed expression: object.spec.replicas <= 5",
        )
    ]
    assert data["vap"][0]["rule"] == "vap/demo-policy.example.com"


def test_validation_actions_and_field_path(tmp_path: Path) -> None:
    policy = DEMO_POLICY.replace(
        '- expression: "object.spec.replicas <= 5"',
        '- expression: "object.spec.replicas <= 5"\n      fieldPath: spec.replicas',
    )
    for actions, level in (("[Warn, Audit]", "warning"), ("[Audit]", "note"), ("[Deny]", "error")):
        data = scan(
            tmp_path,
            policy.replace("[Deny]", actions),
            namespace("test-ns", environment="test"),
            deployment("big", "test-ns", 6),
        )
        replicas = (tmp_path / "manifests.yaml").read_text().splitlines().index("  replicas: 6") + 1
        assert [(r["level"], r["line"]) for r in data["vap"]] == [(level, replicas)]


REPLICA_LIMIT = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicalimit-policy.example.com
spec:
  failurePolicy: Fail
  paramKind:
    apiVersion: rules.example.com/v1
    kind: ReplicaLimit
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments"]
  validations:
    - expression: "object.spec.replicas <= params.maxReplicas"
      reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicalimit-binding-test.example.com
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef:
    name: replica-limit-test.example.com
    namespace: default
    parameterNotFoundAction: Deny
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicalimit-binding-nontest
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef:
    name: replica-limit-prod.example.com
    namespace: default
  matchResources:
    namespaceSelector:
      matchExpressions:
        - key: environment
          operator: NotIn
          values: [test]
---
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata:
  name: replica-limit-test.example.com
  namespace: default
maxReplicas: 3
---
apiVersion: rules.example.com/v1
kind: ReplicaLimit
metadata:
  name: replica-limit-prod.example.com
  namespace: default
maxReplicas: 100
"""


def test_params_per_binding(tmp_path: Path) -> None:
    # "limits deployments to a max of 3 replicas" in test, 100 everywhere else
    data = scan(
        tmp_path,
        REPLICA_LIMIT,
        namespace("test-ns", environment="test"),
        namespace("prod-ns", environment="prod"),
        deployment("four-in-test", "test-ns", 4),
        deployment("three-in-test", "test-ns", 3),
        deployment("four-in-prod", "prod-ns", 4),
        deployment("many-in-prod", "prod-ns", 101),
    )
    assert sorted((r["object"], r["message"].split(" denied")[0]) for r in data["vap"]) == [
        (
            "Deployment/prod-ns/many-in-prod",
            "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding 'replicalimit-binding-nontest'",
        ),
        (
            "Deployment/test-ns/four-in-test",
            "ValidatingAdmissionPolicy 'replicalimit-policy.example.com' with binding "
            "'replicalimit-binding-test.example.com'",
        ),
    ]


def test_message_expression(tmp_path: Path) -> None:
    policy = REPLICA_LIMIT.replace(
        "      reason: Invalid",
        "      messageExpression: \"'object.spec.replicas must be no greater than ' + string(params.maxReplicas)\"\n"
        "      reason: Invalid",
    )
    data = scan(tmp_path, policy, namespace("test-ns", environment="test"), deployment("nginx", "test-ns", 5))
    assert [r["message"].split(": ", 1)[1] for r in data["vap"]] == ["object.spec.replicas must be no greater than 3"]


IMAGE_ENVIRONMENT = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: image-matches-namespace-environment.policy.example.com
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments"]
  variables:
    - name: environment
      expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'"
    - name: exempt
      expression: "'exempt' in object.metadata.labels && object.metadata.labels['exempt'] == 'true'"
    - name: containers
      expression: "object.spec.template.spec.containers"
    - name: containersToCheck
      expression: "variables.containers.filter(c, c.image.contains('example.com'))"
  validations:
    - expression: "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))"
      messageExpression: "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: demo-binding-test.example.com
spec:
  policyName: image-matches-namespace-environment.policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        kubernetes.io/metadata.name: default
"""


def test_variables_and_namespace_object(tmp_path: Path) -> None:
    data = scan(
        tmp_path,
        IMAGE_ENVIRONMENT,
        namespace("default", environment="prod"),
        deployment("invalid", "default", 1, image="dev.example.com/nginx"),
        deployment("valid", "default", 1, image="prod.example.com/nginx"),
        deployment("exempt", "default", 1, image="dev.example.com/nginx", labels="{exempt: 'true'}"),
    )
    assert [(r["object"], r["message"]) for r in data["vap"]] == [
        (
            "Deployment/default/invalid",
            "ValidatingAdmissionPolicy 'image-matches-namespace-environment.policy.example.com' with binding "
            "'demo-binding-test.example.com' denied request: only prod images are allowed in namespace default",
        )
    ]


def test_policies_from_another_repository(tmp_path: Path) -> None:
    policies = tmp_path / "platform"
    policies.mkdir()
    (policies / "replicas.yaml").write_text(REPLICA_LIMIT)
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    data = scan(
        app_dir,
        namespace("test-ns", environment="test"),
        deployment("four-in-test", "test-ns", 4),
        args=("--policy", str(policies)),
    )
    assert [r["object"] for r in data["vap"]] == ["Deployment/test-ns/four-in-test"]
    assert data["vap"][0]["file"].endswith("manifests.yaml")


def test_suppression_names_the_policy(tmp_path: Path) -> None:
    suppressed = deployment("big", "test-ns", 6).replace(
        "  name: big\n", "  name: big\n  annotations: {ekslint.io/ignore: vap/demo-policy.example.com}\n"
    )
    data = scan(tmp_path, DEMO_POLICY, namespace("test-ns", environment="test"), suppressed)
    assert data["vap"] == []
    assert data["summary"]["suppressed"] >= 1


def test_failure_policy(tmp_path: Path) -> None:
    erring = DEMO_POLICY.replace("object.spec.replicas <= 5", "quantity(object.metadata.name).isInteger()")
    data = scan(tmp_path, erring, namespace("test-ns", environment="test"), deployment("d", "test-ns", 1))
    # Fail (the default): an error rejects the request
    assert [r["message"] for r in data["vap"]] == [
        "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' "
        "denied request: expression error: quantities must match the regular expression "
        "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': 'd'"
    ]
    data = scan(
        tmp_path,
        erring.replace("failurePolicy: Fail", "failurePolicy: Ignore"),
        namespace("test-ns", environment="test"),
        deployment("d", "test-ns", 1),
    )
    assert data["vap"] == []
    assert any("error ignored (failurePolicy Ignore)" in n for n in data["notes"])


def test_a_field_the_manifest_lacks_is_not_judged(tmp_path: Path) -> None:
    # The API server defaults spec.replicas to 1 before the policy runs: no guess either way.
    without = deployment("d", "test-ns", 1).replace("  replicas: 1\n", "")
    data = scan(
        tmp_path, DEMO_POLICY, namespace("test-ns", environment="test"), without, without.replace("name: d", "name: e")
    )
    assert data["vap"] == []
    notes = [n for n in data["notes"] if n.startswith("vap/demo-policy.example.com:")]
    assert notes == [
        "vap/demo-policy.example.com: binding demo-binding-test.example.com: a validation reads a field some objects "
        "lack (no such key: replicas); the API server fills defaults and runs mutating admission first, so those "
        "objects are not judged here"
    ]


def test_match_conditions(tmp_path: Path) -> None:
    policy = DEMO_POLICY.replace(
        "  validations:",
        "  matchConditions:\n"
        "    - name: not-kube-system\n"
        "      expression: \"request.namespace != 'kube-system'\"\n"
        "  validations:",
    ).replace("environment: test", "kubernetes.io/metadata.name: kube-system")
    data = scan(tmp_path, policy, deployment("d", "kube-system", 9))
    assert data["vap"] == []  # the match condition is false: the policy is skipped


@pytest.mark.parametrize(
    ("change", "why"),
    [
        # the documentation's own match-conditions example calls startWith(): it does not compile
        (("object.spec.replicas <= 5", "object.metadata.name.startWith('demo')"), "cannot be compiled here"),
        (("object.spec.replicas <= 5", "authorizer.path('/healthz').check('get').allowed()"), "authorizer"),
        (("object.spec.replicas <= 5", "!('system:nodes' in request.userInfo.groups)"), "request.userInfo"),
        (
            ("object.spec.replicas <= 5", "format.dns1123Label().validate(object.metadata.name) == optional.none()"),
            "format library",
        ),
    ],
)
def test_what_cannot_be_evaluated_is_a_note(tmp_path: Path, change: tuple[str, str], why: str) -> None:
    data = scan(
        tmp_path, DEMO_POLICY.replace(*change), namespace("test-ns", environment="test"), deployment("d", "test-ns", 6)
    )
    assert data["vap"] == []
    assert any(
        n.startswith("vap/demo-policy.example.com:") and "is not evaluated" in n and why in n for n in data["notes"]
    )


def test_missing_pieces_are_notes(tmp_path: Path) -> None:
    # the binding's namespaceSelector needs the Namespace, which is not in the scan
    data = scan(tmp_path, DEMO_POLICY, deployment("big", "elsewhere", 6))
    assert data["vap"] == []
    assert any("namespace 'elsewhere' is not in the scan" in n for n in data["notes"])
    # a binding whose policy is elsewhere, and a policy with no binding
    binding = DEMO_POLICY.split("---\n")[1]
    data = scan(tmp_path, binding, deployment("big", "elsewhere", 6))
    assert any("which is not in the scan" in n for n in data["notes"])
    data = scan(tmp_path, DEMO_POLICY.split("---\n")[0], deployment("big", "elsewhere", 6))
    assert any("has no binding in the scan" in n for n in data["notes"])
    # params that are not in the scan
    data = scan(
        tmp_path,
        REPLICA_LIMIT.split("---\napiVersion: rules.example.com/v1")[0],
        namespace("test-ns", environment="test"),
        deployment("d", "test-ns", 9),
    )
    assert data["vap"] == []
    assert any("no params of ReplicaLimit" in n for n in data["notes"])


def test_resource_rules_scope_and_exclusions(tmp_path: Path) -> None:
    policy = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: named
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["*"]
        apiVersions: ["*"]
        operations: ["*"]
        resources: ["*"]
        scope: Namespaced
    excludeResourceRules:
      - apiGroups: [""]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["configmaps"]
  validations:
    - expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels"
      message: objects need an owner label
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: everywhere
spec:
  policyName: named
  validationActions: [Warn]
"""
    config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n"
    role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: []\n"
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\n"
    data = scan(tmp_path, policy, config_map, role, secret)
    assert [(r["object"], r["level"]) for r in data["vap"]] == [("Secret/a/s", "warning")]


def test_policies_key_of_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "platform").mkdir()
    (tmp_path / "platform" / "demo.yaml").write_text(DEMO_POLICY)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".ekslint.yaml").write_text("policies: [../platform]\n")
    (tmp_path / "app" / "app.yaml").write_text(
        "---\n".join([namespace("test-ns", environment="test"), deployment("big", "test-ns", 6)])
    )
    monkeypatch.chdir(tmp_path / "app")
    result = runner.invoke(app, ["scan", "app.yaml", "-f", "json"], env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    rules = [r["rule"] for r in json.loads(result.stdout)["results"] if r["rule"].startswith("vap/")]
    assert rules == ["vap/demo-policy.example.com"]
    result = runner.invoke(app, ["scan", "app.yaml", "--policy", "nowhere"], env={"NO_COLOR": "1"})
    assert result.exit_code == 2 and "nowhere" in result.stderr
