/** The embedded references' known deviations: the Managed document's own gaps, and each Agent Server's. */
import { fileURLToPath } from "node:url";

const file = (name: string) => fileURLToPath(new URL(`./${name}.yaml`, import.meta.url));

/** The waiver files that apply when the target is the embedded reference running `server`. */
export const referenceWaivers = (server: "js" | "python"): string[] => [file("managed-document"), file(server)];
