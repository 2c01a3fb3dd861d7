/** Account roles, from least to most powerful; each role can also do what the ones before it can. */
export const roles = ['analyst', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];
