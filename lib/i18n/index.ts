// Message catalogues (zh-CN first, English second) and server-side translation (catalogues.ts).
export * from './catalogues';
