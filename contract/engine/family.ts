/** The check families run on every operation they apply to: valid input, coverage cases, invalid input, credentials, unknown ids. */
export type Family = "positive" | "coverage" | "negative" | "auth" | "unknown-ids";
export const FAMILIES: Family[] = ["positive", "coverage", "negative", "auth", "unknown-ids"];
