// Start GOV.UK Frontend's components: error summary focus, service navigation menu, buttons.
import { initAll } from "../assets/govuk-frontend.min.js";

initAll();
