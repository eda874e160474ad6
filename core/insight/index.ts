export * from './tables';
export * from './csv';
