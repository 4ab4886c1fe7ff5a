#version 330 core
// Shows the stylized frame blended with the original by u_strength; with u_split in (0, 1) the
// part left of that x position shows the original and the right part the stylized frame.
uniform sampler2D u_original;
uniform sampler2D u_stylized;
uniform float u_strength;
uniform float u_split;
in vec2 v_uv;
out vec4 color;

void main() {
    vec3 original = texture(u_original, v_uv).rgb;
    vec3 stylized = texture(u_stylized, v_uv).rgb;
    vec3 blended = mix(original, stylized, u_strength);
    if (u_split > 0.0 && u_split < 1.0) {
        if (abs(v_uv.x - u_split) < 0.002) { color = vec4(1.0); return; }
        blended = v_uv.x < u_split ? original : blended;
    }
    color = vec4(blended, 1.0);
}
