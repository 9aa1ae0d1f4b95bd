import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import "./lib/ui/list-table.css";

mount(App, { target: document.getElementById("app")! });
