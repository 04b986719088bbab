import { render } from "preact";
import { App } from "./app.tsx";
import { resume } from "./session.ts";
import "./styles.css";
import "./styles-forms.css";

resume();
const root = document.getElementById("app");
if (root) render(<App />, root);
