import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import { loadConfig, preconnect } from "./config.ts";
import { createHarmonie } from "./lib/harmonie.tsx";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

loadConfig()
  .then(preconnect)
  .then(createHarmonie)
  .then(
    (harmonie) =>
      root.render(
        <StrictMode>
          <App harmonie={harmonie} />
        </StrictMode>,
      ),
    (error: Error) =>
      root.render(
        <main className="page">
          <h1>HarmonieCORE could not start</h1>
          <p role="alert">Its configuration could not be loaded ({error.message}).</p>
        </main>,
      ),
  );
