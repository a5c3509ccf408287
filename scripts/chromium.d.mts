export const CHROMIUM_HINT: string;
export function findChromium(): string | undefined;
