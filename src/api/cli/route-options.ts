/** What every `/api/cli/…` route shares: its policy, and its place outside the public reference. */
export const operatorRoute = { config: { policy: 'localOperator' as const } };
export const cliSchema = { tags: ['mitra command'], hide: true };
