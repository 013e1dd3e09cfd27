// Configuration: the one place that reads process.env, validated once (env.ts).
export * from './env';
