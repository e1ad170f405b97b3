// The grammar of a container image reference (the distribution project's reference.go, which Docker and ECS
// follow): [registry[:port]/]path[:tag][@algorithm:hex]. The path is lower case; the registry may not be.
const REGISTRY = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d+)?\/)?`;
const COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const REFERENCE = new RegExp(
  `^(${REGISTRY})(${COMPONENT}(?:\\/${COMPONENT})*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@([A-Za-z0-9]+:[A-Za-z0-9]+))?$`,
);

export interface ImageReference {
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * A template's placeholder left unfilled, as people write them: `${IMAGE}`, `$IMAGE`, `<IMAGE1_NAME>` (CodeDeploy's
 * taskdef.json), `{{ image }}` (Jinja, Go templates, ecspresso). No registry takes one, and ECS refuses it.
 */
const PLACEHOLDER = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|<[^<>]*>|\{\{[^}]*\}\}/;

/** The parts of an image reference, or what is wrong with it in words a person can fix. */
export function parseImageReference(text: string): ImageReference | { problem: string; placeholder?: string } {
  const placeholder = PLACEHOLDER.exec(text);
  if (placeholder) return { problem: `${placeholder[0]} is a placeholder nothing filled in`, placeholder: placeholder[0] };
  if (/\s/.test(text)) return { problem: 'it holds a space or a line break: give exactly one image' };
  const match = REFERENCE.exec(text);
  if (!match) {
    if (/@/.test(text) && !/@[A-Za-z0-9]+:[A-Za-z0-9]+$/.test(text))
      return { problem: 'a digest follows @ as algorithm:hex, e.g. @sha256:<64 hex digits>' };
    if (/:$/.test(text)) return { problem: 'the tag after ":" is empty' };
    if (/[A-Z]/.test(text.slice(text.indexOf('/') + 1))) return { problem: 'the repository part must be lower case' };
    return { problem: 'it is not registry/repository[:tag][@sha256:digest]' };
  }
  const [, registry, path, tag, digest] = match;
  if (digest?.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
    return { problem: 'a sha256 digest is 64 lower-case hex digits' };
  }
  return { repository: `${registry}${path}`, tag, digest };
}
