import { render } from "preact";
import { App } from "./app.tsx";
import { resume } from "./session.ts";
import "./styles.css";

resume();
const root = document.getElementById("app");
if (root) render(<App />, root);
