// Merchant reports for the console home: period figures, revenue series, heat map, low stock (dashboard.ts).
export * from './dashboard';
