/**
 * The service-health query's key (app/Health.tsx). Its own module so the query cache (App.tsx) can
 * ask for a fresh check on any failed read without pulling the banner into the entry chunk.
 */
export const HEALTH_KEY = ["service-health"] as const;
