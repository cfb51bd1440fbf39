"""Golden terminal transcripts: every verb and output format, errors included, on a seeded sandbox.

Each scenario is a short session a learner could type; the golden file is the
terminal as it would look. Regenerate with ``pytest tests/unit --update-golden``
and review the diff against real kubectl 1.32 behaviour (K8S_FACTS).
"""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.test_kubectl_support import FILES, Session

Golden = Callable[[str, str], None]


def test_course_walkthrough(golden: Golden) -> None:
    """The commands of the course notes, in order (seed/000_*.txt)."""
    s = Session(FILES)
    s.script("kubectl get nodes", "kubectl get pods", "kubectl run nginx-pod --image=nginx")
    s.settle()
    s.script("kubectl get pods -o wide", "kubectl create deployment dpy-nginx --image=nginx")
    s.settle()
    s.script(
        "kubectl get deployments",
        "kubectl describe deployment dpy-nginx",
        "kubectl scale deployment dpy-nginx --replicas=3",
    )
    s.settle()
    s.script(
        "kubectl get pods -o wide",
        "kubectl expose pod nginx-pod --type=NodePort --name=pod-svc --port=80",
        "kubectl expose deployment dpy-nginx --type=NodePort --name=dpy-svc --port=80",
        "kubectl get services",
        "kubectl delete service pod-svc",
        "kubectl delete deployment dpy-nginx",
        "kubectl apply -f deployment.yaml",
        "kubectl apply -f service.yaml",
    )
    s.settle()
    s.script(
        "kubectl get all",
        "kubectl rollout status deployment nginx-deployment",
        "kubectl rollout history deployment nginx-deployment",
        "kubectl get pods --all-namespaces",
    )
    golden("kubectl/course.txt", s.transcript())


def test_output_formats(golden: Golden) -> None:
    s = Session()
    s.script(
        "kubectl create deployment web --image=nginx:1.25 --replicas=2 --port=80", "kubectl run solo --image=redis"
    )
    s.settle()
    s.script(
        "kubectl get deploy web -o yaml",
        "kubectl get pod solo -o json",
        "kubectl get pods -o name",
        "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
        'kubectl get pods -o jsonpath=\'{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}\'',
        "kubectl get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,NODE:.spec.nodeName",
        "kubectl get pods --show-labels",
        "kubectl get pods -L app,run",
        "kubectl get pods --sort-by=.metadata.name --no-headers",
        "kubectl get deploy,svc",
        "kubectl get deploy,svc -o name",
        "kubectl get pods,deploy -A",
        "kubectl get pod solo deploy/web",
        "kubectl get ns",
        "kubectl get nodes -o wide",
        "kubectl get rs -o wide",
        "kubectl get ep,endpointslices",
        "kubectl get events --field-selector involvedObject.name=solo",
        "kubectl get pods -l app=web --show-kind",
        "kubectl get pods -o go-template='{{.items}}'",
        "kubectl get pods -o foo",
        "kubectl get pods --sort-by=.spec.nothing",
    )
    golden("kubectl/formats.txt", s.transcript())


def test_age_column_follows_human_duration(golden: Golden) -> None:
    s = Session()
    for seconds in (90, 119, 150, 3600, 12_600, 86_400, 190_800, 63_072_000):
        s.skew_ms = seconds * 1000
        s.run("kubectl get ns default")
    golden("kubectl/age.txt", s.transcript())


def test_rollouts(golden: Golden) -> None:
    s = Session()
    s.run("kubectl create deployment web --image=nginx:1.25 --replicas=3")
    s.settle()
    s.script(
        "kubectl set image deployment/web nginx=nginx:1.27",
        "kubectl set image deployment/web missing=nginx:1.27",
        "kubectl rollout status deployment/web --watch=false",
    )
    s.settle()
    s.script(
        "kubectl rollout status deployment/web",
        "kubectl rollout history deployment/web",
        "kubectl rollout history deployment/web --revision=2",
        "kubectl rollout history deployment/web --revision=7",
        "kubectl rollout undo deployment/web",
    )
    s.settle()
    s.script(
        "kubectl rollout history deploy/web",
        "kubectl rollout undo deployment/web --to-revision=2",
        "kubectl rollout undo deployment/web --to-revision=9",
        "kubectl rollout pause deployment/web",
        "kubectl rollout pause deployment/web",
        "kubectl rollout undo deployment/web",
        "kubectl rollout restart deployment/web",
        "kubectl rollout resume deployment/web",
        "kubectl rollout resume deployment/web",
        "kubectl rollout restart deployment/web",
        "kubectl rollout status pod/x",
        "kubectl get deploy web -o wide",
    )
    golden("kubectl/rollout.txt", s.transcript())


def test_errors(golden: Golden) -> None:
    bad_deployment = FILES["deployment.yaml"].replace("        app: nginx\n    spec", "        app: web\n    spec")
    files = {
        **FILES,
        "tab.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n",
        "nokind.yaml": "apiVersion: v1\nmetadata:\n  name: x\n",
        "pood.yaml": "apiVersion: v1\nkind: Pood\nmetadata:\n  name: t1\n",
        "typo.yaml": FILES["deployment.yaml"].replace("replicas: 3", "replica: 3"),
        "mismatch.yaml": bad_deployment,
    }
    s = Session(files)
    s.script(
        "kubectl gett pods",
        "kubectl xyzzy",
        "kubectl get pods --nope",
        "kubectl get",
        "kubectl get foo",
        "kubectl get pods",
        "kubectl get pod nothere",
        "kubectl describe pod nothere",
        "kubectl delete deployment nothere",
        "kubectl delete pods",
        "kubectl create deployment",
        "kubectl create deployment --image=nginx",
        "kubectl create deployment a b --image=nginx",
        "kubectl create deployment web --image=nginx",
        "kubectl create deployment web --image=nginx",
        "kubectl create deployment My_App --image=nginx",
        "kubectl create service nodeport web --tcp=80:8080 --node-port=40000",
        "kubectl create namespace",
        "kubectl run",
        "kubectl run x",
        "kubectl run x --image=nginx --restart=Sometimes",
        "kubectl run x --image=nginx --expose",
        "kubectl scale deployment nothere --replicas=2",
        "kubectl scale deployment web",
        "kubectl expose deployment web",
        "kubectl expose deployment nothere --port=80",
        "kubectl expose node worker-1 --port=80",
        "kubectl apply -f tab.yaml",
        "kubectl apply -f nokind.yaml",
        "kubectl apply -f pood.yaml",
        "kubectl apply -f typo.yaml",
        "kubectl apply -f mismatch.yaml",
        "kubectl apply -f nothere.yaml",
        "kubectl apply",
        "kubectl logs",
        "kubectl exec web",
        "kubectl label pods",
        "kubectl patch deployment web",
        "kubectl cordon",
        "kubectl explain",
        'kubectl echo "unterminated',
        "grep",
        "nosuchprogram",
    )
    golden("kubectl/errors.txt", s.transcript())


def test_errors_hints_in_korean(golden: Golden) -> None:
    s = Session({"tab.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n"}, lang="ko")
    s.script("kubectl get podz", "kubectl apply -f tab.yaml", "kubectl create deployment web", "kubectl get pod x")
    golden("kubectl/errors_ko.txt", s.transcript())


def test_describe(golden: Golden) -> None:
    s = Session(FILES)
    s.script("kubectl apply -f deployment.yaml", "kubectl apply -f service.yaml", "kubectl run solo --image=nginx")
    s.settle()
    s.script("kubectl autoscale deployment nginx-deployment --min=2 --max=5 --cpu-percent=80")
    s.settle()
    s.script(
        "kubectl describe pod solo",
        "kubectl describe deploy nginx-deployment",
        "kubectl describe rs",
        "kubectl describe svc nginx-service",
        "kubectl describe node worker-1",
        "kubectl describe ns default",
        "kubectl describe hpa nginx-deployment",
        "kubectl describe deploy nginx",
    )
    golden("kubectl/describe.txt", s.transcript())


def test_nodes(golden: Golden) -> None:
    s = Session()
    s.script("kubectl create deployment web --image=nginx --replicas=3", "kubectl run solo --image=nginx")
    s.settle()
    s.script(
        "kubectl get pods -o wide",
        "kubectl cordon worker-1",
        "kubectl cordon worker-1",
        "kubectl get nodes",
        "kubectl drain worker-1",
        "kubectl drain worker-1 --ignore-daemonsets --force",
        "kubectl uncordon worker-1",
        "kubectl uncordon worker-1",
        "kubectl taint nodes worker-2 dedicated=special-user:NoSchedule",
        "kubectl taint nodes worker-2 dedicated=other:NoSchedule",
        "kubectl taint nodes worker-2 dedicated=other:NoSchedule --overwrite",
        "kubectl taint nodes worker-2 dedicated:NoSchedule-",
        "kubectl taint nodes worker-2 dedicated-",
        "kubectl taint nodes worker-2 dedicated=x:Sometimes",
        "kubectl taint pods solo a=b:NoSchedule",
    )
    golden("kubectl/nodes.txt", s.transcript())


def test_metadata_and_patches(golden: Golden) -> None:
    s = Session()
    s.script("kubectl create deployment web --image=nginx --replicas=1", "kubectl run solo --image=nginx")
    s.settle()
    s.script(
        "kubectl label pods solo tier=frontend",
        "kubectl label pods solo run=other",
        "kubectl label pods solo run=other --overwrite",
        "kubectl label pods solo tier-",
        "kubectl label pods solo tier-",
        "kubectl label pods solo 'bad key=x'",
        "kubectl annotate pods solo note=hello",
        "kubectl annotate pods solo note=bye",
        "kubectl annotate pods solo note=bye --overwrite",
        "kubectl annotate pods solo note-",
        "kubectl get pod solo --show-labels",
        'kubectl patch deployment web -p \'{"spec":{"replicas":2}}\'',
        'kubectl patch deployment web -p \'{"spec":{"replicas":2}}\'',
        "kubectl patch deployment web --type=merge -p 'spec: {minReadySeconds: 5}'",
        'kubectl patch deployment web --type=json -p \'[{"op":"replace","path":"/spec/replicas","value":1}]\'',
        "kubectl patch deployment web --type=json -p '{\"spec\":{}}'",
        'kubectl patch deployment web -p \'{"spec":{"replicas":-1}}\'',
        "kubectl patch deployment web --type=xml -p '{}'",
        "kubectl get deploy web -o jsonpath='{.spec.replicas} {.spec.minReadySeconds}'",
    )
    golden("kubectl/metadata.txt", s.transcript())


def test_logs_and_exec(golden: Golden) -> None:
    s = Session()
    s.script("kubectl run web --image=nginx:1.25 --port=80", "kubectl create deployment api --image=redis --replicas=2")
    s.script("kubectl logs web")
    s.settle()
    s.script(
        "kubectl logs web",
        "kubectl logs web --tail=2",
        "kubectl logs deploy/api --tail=1",
        "kubectl logs web -c nope",
        "kubectl logs web --previous",
        "kubectl exec web -- hostname",
        "kubectl exec web -- cat /etc/hostname",
        "kubectl exec web -- printenv HOSTNAME",
        "kubectl exec web -- ls /nothing-like-this",
        "kubectl exec web -- cat /etc/shadow",
        "kubectl exec -it web -- sh",
        "kubectl exec web ls",
        "kubectl exec nothere -- hostname",
    )
    golden("kubectl/logs_exec.txt", s.transcript())


def test_cluster_information(golden: Golden) -> None:
    s = Session()
    s.script(
        "kubectl version",
        "kubectl version --client",
        "kubectl cluster-info",
        "kubectl api-resources",
        "kubectl api-resources --namespaced=false",
        "kubectl api-resources -o name",
        "kubectl api-versions",
        "kubectl config view",
        "kubectl config current-context",
        "kubectl config get-contexts",
        "kubectl config set-context --current --namespace=kube-system",
        "kubectl get pods",
        "kubectl config get-contexts",
        "kubectl config use-context other",
        "kubectl explain deployment.spec.replicas",
        "kubectl explain pods.spec.nope",
    )
    golden("kubectl/info.txt", s.transcript())


def test_generators_and_files(golden: Golden) -> None:
    s = Session({**FILES, "app.properties": "color=blue\nsize=3\n", "k8s/ns.yaml": "apiVersion: v1\nkind: Namespace\n"
                 "metadata:\n  name: team\n"})  # fmt: skip
    s.script(
        "kubectl create namespace dev",
        "kubectl create configmap cfg --from-literal=mode=fast --from-file=app.properties -n dev",
        "kubectl get cm cfg -n dev -o yaml",
        "kubectl create configmap bad --from-literal=oops",
        "kubectl create service clusterip cs --tcp=5678:8080",
        "kubectl create service loadbalancer lb --tcp=80",
        "kubectl create service externalname ext --external-name=example.com",
        "kubectl get svc",
        "kubectl create -f deployment.yaml",
        "kubectl create -f deployment.yaml",
        "kubectl apply -f deployment.yaml",
        "kubectl replace -f deployment.yaml",
        "kubectl apply -f k8s/",
        "kubectl delete -f deployment.yaml",
        "kubectl create deployment gen --image=nginx --dry-run=client -o yaml > gen.yaml",
        "cat gen.yaml",
        "kubectl apply -f gen.yaml",
        "kubectl apply -f gen.yaml",
        "kubectl create deployment gen --image=nginx --dry-run=client -o yaml | kubectl apply -f -",
        "kubectl apply -f deployment.yaml --server-side",
        "kubectl delete all --all",
        "ls",
    )
    golden("kubectl/generators.txt", s.transcript())
