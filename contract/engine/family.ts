/** The check families run on every operation they apply to: valid input, invalid input, credentials, unknown ids. */
export type Family = "positive" | "negative" | "auth" | "unknown-ids";
export const FAMILIES: Family[] = ["positive", "negative", "auth", "unknown-ids"];
