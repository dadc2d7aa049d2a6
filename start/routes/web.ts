/* The agent web app (Inertia pages). */
export {}
