/** How much random walking a run does (./walks.ts), per profile. */
export interface WalkBounds {
  /** Walks per API. */
  walks: number;
  /** Steps per walk, at most. */
  steps: number;
}

/** smoke: a few short walks (under a second per API on the embedded reference); full: many longer ones. */
export const WALK_BOUNDS: Record<"smoke" | "full", WalkBounds> = { smoke: { walks: 4, steps: 6 }, full: { walks: 40, steps: 12 } };
