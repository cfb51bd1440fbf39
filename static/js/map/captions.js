// One line per trace step in the learner's language: what just happened, in Kubernetes words.
// Captions are built from a step's code + params (never by parsing its English text); Korean comes from the
// page's JavaScript catalog when it has the line, else from the table below.

import { gettext, tf } from "../i18n.js";

const KO = {
  "%(who)s asks the API server to create %(kind)s %(name)s": "%(who)s 가 API 서버에 %(kind)s %(name)s 생성을 요청합니다",
  "%(who)s asks the API server to update %(kind)s %(name)s": "%(who)s 가 API 서버에 %(kind)s %(name)s 변경을 요청합니다",
  "%(who)s asks the API server to delete %(kind)s %(name)s": "%(who)s 가 API 서버에 %(kind)s %(name)s 삭제를 요청합니다",
  "%(who)s reports the status of %(kind)s %(name)s": "%(who)s 가 %(kind)s %(name)s 의 상태를 보고합니다",
  "%(who)s reads %(kind)s %(name)s": "%(who)s 가 %(kind)s %(name)s 를 읽습니다",
  "The scheduler binds pod %(name)s to its node": "스케줄러가 파드 %(name)s 를 노드에 바인딩합니다",
  "The API server stores %(kind)s %(name)s in etcd (resourceVersion %(rv)s)": "API 서버가 %(kind)s %(name)s 를 etcd 에 저장합니다 (resourceVersion %(rv)s)",
  "The API server removes %(kind)s %(name)s from etcd": "API 서버가 %(kind)s %(name)s 를 etcd 에서 지웁니다",
  "The scheduler picks %(node)s for pod %(name)s": "스케줄러가 파드 %(name)s 에 %(node)s 노드를 고릅니다",
  "The scheduler finds no node for pod %(name)s": "스케줄러가 파드 %(name)s 를 놓을 노드를 찾지 못합니다",
  "The kubelet on %(node)s asks the container runtime: %(what)s": "%(node)s 의 kubelet 이 컨테이너 런타임에 요청합니다: %(what)s",
  "The container runtime on %(node)s reports: %(what)s": "%(node)s 의 컨테이너 런타임이 알립니다: %(what)s",
  "The Deployment controller": "디플로이먼트 컨트롤러",
  "The ReplicaSet controller": "레플리카셋 컨트롤러",
  "The scheduler": "스케줄러",
  "The kubelet on %(node)s": "%(node)s 의 kubelet",
  "The node lifecycle controller": "노드 수명 주기 컨트롤러",
  "The endpoints controller": "엔드포인트 컨트롤러",
  "The garbage collector": "가비지 컬렉터",
  "You (kubectl)": "사용자 (kubectl)",
  "A controller": "컨트롤러",
};

function t(text) {
  const translated = gettext(text);
  if (translated !== text) return translated;
  return (document.documentElement.lang || "").startsWith("ko") && KO[text] ? KO[text] : text;
}

const WHO = {
  kubectl: () => t("You (kubectl)"),
  "deployment-controller": () => t("The Deployment controller"),
  "replicaset-controller": () => t("The ReplicaSet controller"),
  "default-scheduler": () => t("The scheduler"),
  "node-controller": () => t("The node lifecycle controller"),
  "endpoint-controller": () => t("The endpoints controller"),
  "endpointslice-controller": () => t("The endpoints controller"),
  "garbage-collector": () => t("The garbage collector"),
};

function who(step) {
  const params = step.params || {};
  if (step.from.startsWith("kubelet:")) return tf(t("The kubelet on %(node)s"), { node: step.from.slice(8) });
  if (step.from === "kubectl" || params.component === "kubectl") return WHO.kubectl();
  const known = WHO[params.component];
  return known ? known() : params.component || step.from || t("A controller");
}

function kindOf(resource) {
  return (resource || "").replace(/ies$/, "y").replace(/s$/, "");
}

function apiCaption(step) {
  const p = step.params || {};
  const values = { who: who(step), kind: kindOf(p.resource), name: p.name || "" };
  const verb = step.verb.toUpperCase();
  if (verb === "POST BINDING") return tf(t("The scheduler binds pod %(name)s to its node"), values);
  if (verb === "POST") return tf(t("%(who)s asks the API server to create %(kind)s %(name)s"), values);
  if (verb.endsWith("STATUS")) return tf(t("%(who)s reports the status of %(kind)s %(name)s"), values);
  if (verb === "DELETE") return tf(t("%(who)s asks the API server to delete %(kind)s %(name)s"), values);
  if (verb === "GET" || verb === "LIST") return tf(t("%(who)s reads %(kind)s %(name)s"), values);
  return tf(t("%(who)s asks the API server to update %(kind)s %(name)s"), values);
}

export function caption(step) {
  const p = step.params || {};
  const code = step.code || "";
  if (code.startsWith("api.")) return apiCaption(step);
  if (code === "etcd.write") {
    const values = { kind: p.kind || "", name: p.name || "", rv: p.rv ?? "" };
    return p.op === "delete"
      ? tf(t("The API server removes %(kind)s %(name)s from etcd"), values)
      : tf(t("The API server stores %(kind)s %(name)s in etcd (resourceVersion %(rv)s)"), values);
  }
  if (code === "scheduler.schedule") {
    const name = (step.object || "").split("/").pop();
    return p.node
      ? tf(t("The scheduler picks %(node)s for pod %(name)s"), { node: p.node, name })
      : tf(t("The scheduler finds no node for pod %(name)s"), { name });
  }
  if (step.to === "runtime") return tf(t("The kubelet on %(node)s asks the container runtime: %(what)s"), { node: p.node || "", what: step.text });
  if (step.from === "runtime") return tf(t("The container runtime on %(node)s reports: %(what)s"), { node: p.node || "", what: step.text });
  return `${step.from} → ${step.to}: ${step.text}`;
}
